package dev.vapiusage.adapter.http;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * How the pages show numbers in an {@code en-US} browser, for comparing them with the API's. The
 * browser (ICU) rounds the shortest decimal that reads back as the double it parsed from the JSON
 * (610.65, not the binary 610.6499…), half away from zero, so these do too.
 */
public final class Shown {
  private static final DecimalFormatSymbols US = DecimalFormatSymbols.getInstance(Locale.US);

  private Shown() {}

  public static String count(long value) {
    return new DecimalFormat("#,##0", US).format(value);
  }

  /** Minutes: always one decimal, with grouping. */
  public static String minutes(double value) {
    return format(value, 1, 1);
  }

  /** Cents; amounts under a cent keep up to four decimals. */
  public static String money(double value) {
    return money(value, value == 0 || Math.abs(value) >= 0.01 ? 2 : 4);
  }

  public static String money(double value, int maxDigits) {
    String digits = format(Math.abs(value), 2, Math.max(2, maxDigits));
    return (value < 0 ? "-$" : "$") + digits;
  }

  private static String format(double value, int minDigits, int maxDigits) {
    BigDecimal exact = BigDecimal.valueOf(value).setScale(maxDigits, RoundingMode.HALF_UP);
    DecimalFormat format = new DecimalFormat("#,##0", US);
    format.setMinimumFractionDigits(minDigits);
    format.setMaximumFractionDigits(maxDigits);
    format.setRoundingMode(RoundingMode.UNNECESSARY);
    return format.format(exact);
  }
}
