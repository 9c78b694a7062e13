package dev.vapiusage.domain;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An inclusive range of calendar dates as seen in one time zone. A call belongs to it when its
 * creation instant, seen in the zone, falls on one of its dates.
 */
public record DateRange(LocalDate start, LocalDate end, ZoneId zone) {
  public static final int MAX_DAYS = 366;

  public DateRange {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(zone, "zone");
    if (start.isAfter(end)) {
      throw new UsageException(ErrorCode.INVALID_RANGE, "startDate is after endDate");
    }
    if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
      throw new UsageException(
          ErrorCode.RANGE_TOO_LARGE, "A range covers at most " + MAX_DAYS + " days");
    }
  }

  /**
   * Resolves the contract's optional query values: without an end, the range ends today in the
   * zone; without a start, it starts on the first day of the end's month.
   */
  public static DateRange resolve(String startDate, String endDate, String timezone, Clock clock) {
    ZoneId zone = parseZone(timezone);
    LocalDate end =
        isAbsent(endDate) ? LocalDate.now(clock.withZone(zone)) : parseDate(endDate, "endDate");
    LocalDate start =
        isAbsent(startDate) ? end.withDayOfMonth(1) : parseDate(startDate, "startDate");
    return new DateRange(start, end, zone);
  }

  /**
   * An IANA time zone name: {@code UTC} or a region id such as {@code Europe/Berlin} or {@code
   * Etc/GMT+5}. Java also reads offsets ({@code Z}, {@code +18:00}, {@code UTC+18}) and legacy ids
   * ({@code GMT0}, {@code SystemV/AST4}); the contract names IANA zones only, so those are refused,
   * and a name means the same here as in a browser or in PostgreSQL.
   */
  public static ZoneId parseZone(String timezone) {
    if (isAbsent(timezone)) {
      return ZoneId.of("UTC");
    }
    if (!isIanaName(timezone)) {
      throw new UsageException(
          ErrorCode.INVALID_TIMEZONE,
          "Unknown time zone: give an IANA name such as UTC or Europe/Berlin");
    }
    try {
      return ZoneId.of(timezone);
    } catch (DateTimeException e) {
      throw new UsageException(
          ErrorCode.INVALID_TIMEZONE,
          "Unknown time zone: give an IANA name such as UTC or Europe/Berlin");
    }
  }

  private static boolean isIanaName(String timezone) {
    if (timezone.equals("UTC")) {
      return true;
    }
    return timezone.indexOf('/') > 0
        && !timezone.startsWith("SystemV/")
        && ZoneId.getAvailableZoneIds().contains(timezone);
  }

  public static LocalDate parseDate(String text, String name) {
    try {
      return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      throw new UsageException(
          ErrorCode.INVALID_DATE, name + " is not a date of the form YYYY-MM-DD");
    }
  }

  private static boolean isAbsent(String text) {
    return text == null || text.isBlank();
  }

  /** The first instant of the start date in the zone. */
  public Instant startInstant() {
    return start.atStartOfDay(zone).toInstant();
  }

  /** The first instant after the end date in the zone (exclusive bound). */
  public Instant endExclusive() {
    return end.plusDays(1).atStartOfDay(zone).toInstant();
  }

  public int dayCount() {
    return (int) ChronoUnit.DAYS.between(start, end) + 1;
  }

  public List<LocalDate> dates() {
    List<LocalDate> dates = new ArrayList<>(dayCount());
    for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
      dates.add(day);
    }
    return dates;
  }

  /** The date an instant falls on in this range's zone. */
  public LocalDate dateOf(Instant instant) {
    return instant.atZone(zone).toLocalDate();
  }

  public boolean contains(Instant instant) {
    return !instant.isBefore(startInstant()) && instant.isBefore(endExclusive());
  }
}
