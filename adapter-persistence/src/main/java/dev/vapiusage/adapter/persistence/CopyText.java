package dev.vapiusage.adapter.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Rows in the text format of PostgreSQL's COPY: tab-separated fields, backslash escapes, {@code \N}
 * for null. Instants are written by hand (ISO date, microseconds, UTC) because formatting them
 * with java.time's formatters costs more than the database takes to store them.
 */
final class CopyText {
  private static final long SECONDS_PER_DAY = 86_400;

  private CopyText() {}

  static void field(StringBuilder row, String value) {
    if (value == null) {
      row.append("\\N");
    } else {
      for (int i = 0; i < value.length(); i++) {
        char ch = value.charAt(i);
        switch (ch) {
          case '\\':
            row.append("\\\\");
            break;
          case '\t':
            row.append("\\t");
            break;
          case '\n':
            row.append("\\n");
            break;
          case '\r':
            row.append("\\r");
            break;
          default:
            row.append(ch);
        }
      }
    }
    row.append('\t');
  }

  static void number(StringBuilder row, Long value) {
    if (value == null) {
      row.append("\\N");
    } else {
      row.append(value.longValue());
    }
    row.append('\t');
  }

  static void amount(StringBuilder row, BigDecimal value) {
    if (value == null) {
      row.append("\\N");
    } else {
      row.append(value.toPlainString());
    }
    row.append('\t');
  }

  /** {@code YYYY-MM-DD HH:MM:SS.ffffff+00}, truncated to the microsecond. */
  static void instant(StringBuilder row, Instant value) {
    if (value == null) {
      row.append("\\N\t");
      return;
    }
    long seconds = value.getEpochSecond();
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    if (date.getYear() < 1000 || date.getYear() > 9999) {
      // Outside four-digit years, let the slower general form handle signs and widths.
      field(row, Instants.toText(value));
      return;
    }
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    row.append(date.getYear()).append('-');
    two(row, date.getMonthValue());
    row.append('-');
    two(row, date.getDayOfMonth());
    row.append(' ');
    two(row, secondOfDay / 3600);
    row.append(':');
    two(row, secondOfDay / 60 % 60);
    row.append(':');
    two(row, secondOfDay % 60);
    row.append('.');
    int micros = value.getNano() / 1000;
    for (int divisor = 100_000; divisor > 0; divisor /= 10) {
      row.append((char) ('0' + micros / divisor % 10));
    }
    row.append("+00\t");
  }

  /** Replaces the last field's separator with the end of the row. */
  static void endRow(StringBuilder row) {
    row.setCharAt(row.length() - 1, '\n');
  }

  private static void two(StringBuilder row, int value) {
    row.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
