package dev.vapiusage.adapter.http;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes CSV rows per RFC 4180 (CRLF line ends, cells quoted when they hold a comma, a quote or a
 * line break), with text cells that a spreadsheet would run as a formula defused by a leading
 * {@code '}. Rows gather in its own buffer and reach the writer in large pieces, so {@link #flush}
 * must be called at the end. Not thread-safe; one per response.
 */
final class CsvWriter {
  private static final int BUFFER_CHARS = 16 * 1024;

  /** Instants from 0000-01-01T00:00:00Z to the end of 9999, which print without a sign. */
  private static final long FIRST_PLAIN_SECOND = -62_167_219_200L;

  private static final long LAST_PLAIN_SECOND = 253_402_300_799L;

  private final Writer out;
  private final char[] buffer = new char[BUFFER_CHARS];
  private final char[] digits = new char[20];
  private int used;
  private boolean rowStarted;

  CsvWriter(Writer out) {
    this.out = out;
  }

  /** A header or another line of cells known to be plain (no quoting, no formula guard). */
  void plainRow(String... cells) throws IOException {
    for (String cell : cells) {
      separate();
      put(cell);
    }
    endRow();
  }

  /** A text cell; empty when null. */
  CsvWriter text(String value) throws IOException {
    separate();
    if (value == null || value.isEmpty()) {
      return this;
    }
    String cell = startsLikeAFormula(value) ? "'" + value : value;
    if (needsQuotes(cell)) {
      put('"');
      put(cell.replace("\"", "\"\""));
      put('"');
    } else {
      put(cell);
    }
    return this;
  }

  /**
   * An instant as the text cell of its {@link Instant#toString()}; empty when null. Formatted here
   * without a formatter's objects for the years 0 to 9999, whose text needs no quoting or guard.
   */
  CsvWriter instant(Instant value) throws IOException {
    if (value == null
        || value.getEpochSecond() < FIRST_PLAIN_SECOND
        || value.getEpochSecond() > LAST_PLAIN_SECOND) {
      return text(value == null ? null : value.toString());
    }
    separate();
    room(30);
    long seconds = value.getEpochSecond();
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    putDigits(date.getYear(), 4);
    buffer[used++] = '-';
    putDigits(date.getMonthValue(), 2);
    buffer[used++] = '-';
    putDigits(date.getDayOfMonth(), 2);
    buffer[used++] = 'T';
    putDigits(secondOfDay / 3600, 2);
    buffer[used++] = ':';
    putDigits(secondOfDay / 60 % 60, 2);
    buffer[used++] = ':';
    putDigits(secondOfDay % 60, 2);
    // As ISO_INSTANT: the fraction in groups of three digits, as many as it needs.
    int nano = value.getNano();
    if (nano != 0) {
      buffer[used++] = '.';
      if (nano % 1_000_000 == 0) {
        putDigits(nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        putDigits(nano / 1000, 6);
      } else {
        putDigits(nano, 9);
      }
    }
    buffer[used++] = 'Z';
    return this;
  }

  /**
   * A number, written plain (no exponent) and never guarded: a negative amount stays a number a
   * spreadsheet can sum. Empty when null.
   */
  CsvWriter number(BigDecimal value) throws IOException {
    separate();
    if (value == null) {
      return this;
    }
    int scale = value.scale();
    if (scale < 0 || scale > 18 || value.precision() > 18) {
      put(value.toPlainString());
      return this;
    }
    // The text of toPlainString, from the unscaled digits without its intermediate strings.
    long unscaled = value.unscaledValue().longValue();
    room(40);
    if (unscaled < 0) {
      buffer[used++] = '-';
      unscaled = -unscaled;
    }
    int count = 0;
    do {
      digits[count++] = (char) ('0' + unscaled % 10);
      unscaled /= 10;
    } while (unscaled != 0);
    if (count <= scale) {
      buffer[used++] = '0';
      buffer[used++] = '.';
      for (int i = count; i < scale; i++) {
        buffer[used++] = '0';
      }
      while (count > 0) {
        buffer[used++] = digits[--count];
      }
    } else {
      while (count > 0) {
        if (count == scale) {
          buffer[used++] = '.';
        }
        buffer[used++] = digits[--count];
      }
    }
    return this;
  }

  CsvWriter number(long value) throws IOException {
    separate();
    put(Long.toString(value));
    return this;
  }

  void endRow() throws IOException {
    room(2);
    buffer[used++] = '\r';
    buffer[used++] = '\n';
    rowStarted = false;
  }

  /** Hands what is buffered to the writer (which it does not flush). */
  void flush() throws IOException {
    if (used > 0) {
      out.write(buffer, 0, used);
      used = 0;
    }
  }

  private void separate() throws IOException {
    if (rowStarted) {
      put(',');
    }
    rowStarted = true;
  }

  /** Makes room for {@code chars} more characters (at most the buffer's size). */
  private void room(int chars) throws IOException {
    if (used + chars > buffer.length) {
      flush();
    }
  }

  private void put(char c) throws IOException {
    room(1);
    buffer[used++] = c;
  }

  private void put(String s) throws IOException {
    int length = s.length();
    if (length > buffer.length) {
      flush();
      out.write(s);
      return;
    }
    room(length);
    s.getChars(0, length, buffer, used);
    used += length;
  }

  private void putDigits(int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      buffer[used + i] = (char) ('0' + value % 10);
      value /= 10;
    }
    used += width;
  }

  /** The first characters with which Excel, LibreOffice and Google Sheets start a formula. */
  private static boolean startsLikeAFormula(String value) {
    char first = value.charAt(0);
    return first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r';
  }

  private static boolean needsQuotes(String cell) {
    for (int i = 0; i < cell.length(); i++) {
      char c = cell.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }
}
