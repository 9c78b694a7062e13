package dev.vapiusage.simulator;

/**
 * Writes an epoch millisecond as {@code 2024-09-10T11:14:12.339Z} into a char buffer, without the
 * allocations of {@code DateTimeFormatter}: the simulator writes four per call.
 */
final class IsoMillis {
  static final int LENGTH = 24;

  private IsoMillis() {}

  /** Fills {@code out[0, 24)}; years 0 to 9999 only, which covers every Vapi timestamp. */
  static void write(long epochMilli, char[] out) {
    long days = Math.floorDiv(epochMilli, 86_400_000L);
    int millisOfDay = (int) Math.floorMod(epochMilli, 86_400_000L);
    // Civil-from-days (H. Hinnant): exact for the proleptic Gregorian calendar.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, month, 2);
    out[7] = '-';
    digits(out, 8, day, 2);
    out[10] = 'T';
    digits(out, 11, millisOfDay / 3_600_000, 2);
    out[13] = ':';
    digits(out, 14, millisOfDay / 60_000 % 60, 2);
    out[16] = ':';
    digits(out, 17, millisOfDay / 1000 % 60, 2);
    out[19] = '.';
    digits(out, 20, millisOfDay % 1000, 3);
    out[23] = 'Z';
  }

  static String format(long epochMilli) {
    char[] out = new char[LENGTH];
    write(epochMilli, out);
    return new String(out);
  }

  private static void digits(char[] out, int offset, int value, int count) {
    for (int i = offset + count - 1; i >= offset; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
