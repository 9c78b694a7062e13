package dev.vapiusage.adapter.http;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * Writes CSV rows per RFC 4180 (CRLF line ends, cells quoted when they hold a comma, a quote or a
 * line break), with text cells that a spreadsheet would run as a formula defused by a leading
 * {@code '}. Not thread-safe; one per response.
 */
final class CsvWriter {
  private final Writer out;
  private boolean rowStarted;

  CsvWriter(Writer out) {
    this.out = out;
  }

  /** A header or another line of cells known to be plain (no quoting, no formula guard). */
  void plainRow(String... cells) throws IOException {
    for (String cell : cells) {
      separate();
      out.write(cell);
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
      out.write('"');
      out.write(cell.replace("\"", "\"\""));
      out.write('"');
    } else {
      out.write(cell);
    }
    return this;
  }

  /**
   * A number, written plain (no exponent) and never guarded: a negative amount stays a number a
   * spreadsheet can sum. Empty when null.
   */
  CsvWriter number(BigDecimal value) throws IOException {
    separate();
    if (value != null) {
      out.write(value.toPlainString());
    }
    return this;
  }

  CsvWriter number(long value) throws IOException {
    separate();
    out.write(Long.toString(value));
    return this;
  }

  void endRow() throws IOException {
    out.write("\r\n");
    rowStarted = false;
  }

  private void separate() throws IOException {
    if (rowStarted) {
      out.write(',');
    }
    rowStarted = true;
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
