package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.DateRange;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The instants where a range's days begin in its time zone, computed in Java (so DST and half-hour
 * zones need no database time-zone support): {@code bound(i)} starts day {@code i} and {@code
 * bound(dayCount())} is the exclusive end of the range.
 */
final class DayBounds {
  private static final long QUARTER_HOUR_SECONDS = 900;

  private final Instant[] bounds;

  DayBounds(DateRange range) {
    List<LocalDate> dates = range.dates();
    bounds = new Instant[dates.size() + 1];
    for (int i = 0; i < dates.size(); i++) {
      bounds[i] = dates.get(i).atStartOfDay(range.zone()).toInstant();
    }
    bounds[dates.size()] = range.endExclusive();
  }

  int dayCount() {
    return bounds.length - 1;
  }

  Instant bound(int index) {
    return bounds[index];
  }

  Instant start() {
    return bounds[0];
  }

  Instant end() {
    return bounds[bounds.length - 1];
  }

  /** Whether every day starts on a UTC quarter hour, as in every zone's current rules. */
  boolean onQuarterHours() {
    for (Instant bound : bounds) {
      if (bound.getNano() != 0
          || Math.floorMod(bound.getEpochSecond(), QUARTER_HOUR_SECONDS) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The first UTC date the range touches. */
  LocalDate firstUtcDate() {
    return LocalDate.ofInstant(start(), ZoneOffset.UTC);
  }

  /** The last UTC date the range touches. */
  LocalDate lastUtcDate() {
    return LocalDate.ofInstant(end().minusNanos(1), ZoneOffset.UTC);
  }

  /** The first UTC date that lies wholly inside the range. */
  LocalDate firstWholeUtcDate() {
    LocalDate date = firstUtcDate();
    return date.atStartOfDay(ZoneOffset.UTC).toInstant().equals(start()) ? date : date.plusDays(1);
  }

  /** The UTC date after the last one that lies wholly inside the range. */
  LocalDate endOfWholeUtcDates() {
    return LocalDate.ofInstant(end(), ZoneOffset.UTC);
  }

  static Instant midnight(LocalDate utcDate) {
    return utcDate.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
