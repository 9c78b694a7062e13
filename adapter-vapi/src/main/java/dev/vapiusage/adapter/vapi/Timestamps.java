package dev.vapiusage.adapter.vapi;

import dev.vapiusage.domain.sync.CallWindow;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Vapi's ISO-8601 timestamps: millisecond query bounds out, {@code Instant}s in. */
final class Timestamps {
  private static final DateTimeFormatter MILLIS =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter(Locale.ROOT);

  /**
   * The instants a query bound may name. Vapi reads bounds as ISO-8601 date-times, whose years run
   * from 0000 to 9999 without a sign; Java writes {@code +10000-01-01} or {@code -0001-12-31}
   * beyond them, which Vapi refuses. A date range the contract accepts (any year 0000 to 9999, in
   * any zone) can reach past them, so windows are cut to these bounds; no call is created before
   * 1970 or after 9999.
   */
  static final Instant EARLIEST = Instant.EPOCH;

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

  private Timestamps() {}

  /** The part of {@code window} Vapi can be asked about, or empty when none of it can. */
  static Optional<CallWindow> askable(CallWindow window) {
    Instant from = window.from().isBefore(EARLIEST) ? EARLIEST : window.from();
    Instant to = window.to().isAfter(LATEST) ? LATEST : window.to();
    if (!from.isBefore(to)) {
      return Optional.empty();
    }
    if (from.equals(window.from()) && to.equals(window.to())) {
      return Optional.of(window);
    }
    return Optional.of(new CallWindow(window.field(), from, to));
  }

  /** Always three fraction digits and a {@code Z}, the form Vapi documents. */
  static String format(long epochMilli) {
    return MILLIS.format(Instant.ofEpochMilli(epochMilli));
  }

  /**
   * The first whole millisecond at or after {@code instant}; Vapi keeps milliseconds, so a call at
   * millisecond {@code t} is at or after {@code instant} exactly when {@code t >=} this value.
   */
  static long ceilMillis(Instant instant) {
    long millis = instant.toEpochMilli();
    return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  /**
   * Parses {@code chars[offset, offset+length)}. The exact form Vapi sends ({@code
   * 2024-09-10T11:14:12.339Z}) takes a fast path, because a listing parses four per call; anything
   * else ISO-8601 (offsets, other fraction lengths) goes through {@link Instant#parse}.
   *
   * @throws DateTimeException when the text is not an ISO-8601 instant
   */
  static Instant parse(char[] chars, int offset, int length) {
    if (length == 24) {
      Instant fast = parseVapiForm(chars, offset);
      if (fast != null) {
        return fast;
      }
    }
    try {
      return Instant.parse(new String(chars, offset, length));
    } catch (DateTimeParseException e) {
      throw new DateTimeException("not an ISO-8601 instant", e);
    }
  }

  static Instant parse(String text) {
    return parse(text.toCharArray(), 0, text.length());
  }

  private static Instant parseVapiForm(char[] c, int o) {
    if (c[o + 4] != '-'
        || c[o + 7] != '-'
        || c[o + 10] != 'T'
        || c[o + 13] != ':'
        || c[o + 16] != ':'
        || c[o + 19] != '.'
        || c[o + 23] != 'Z') {
      return null;
    }
    int year = digits(c, o, 4);
    int month = digits(c, o + 5, 2);
    int day = digits(c, o + 8, 2);
    int hour = digits(c, o + 11, 2);
    int minute = digits(c, o + 14, 2);
    int second = digits(c, o + 17, 2);
    int milli = digits(c, o + 20, 3);
    if ((year | month | day | hour | minute | second | milli) < 0
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
    long seconds = epochDay * 86_400L + hour * 3_600L + minute * 60L + second;
    return Instant.ofEpochSecond(seconds, milli * 1_000_000L);
  }

  /** The value of {@code count} ASCII digits, or -1 when one is not a digit. */
  private static int digits(char[] c, int offset, int count) {
    int value = 0;
    for (int i = offset; i < offset + count; i++) {
      int digit = c[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
