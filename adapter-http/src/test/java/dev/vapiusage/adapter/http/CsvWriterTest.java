package dev.vapiusage.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvWriterTest {
  private static String cell(CsvFill fill) throws IOException {
    StringWriter out = new StringWriter();
    CsvWriter csv = new CsvWriter(out);
    fill.into(csv);
    csv.flush();
    return out.toString();
  }

  @FunctionalInterface
  private interface CsvFill {
    void into(CsvWriter csv) throws IOException;
  }

  @Test
  void anInstant_isWrittenAsTheTextCellOfItsToString() throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    Instant[] edges = {
      Instant.EPOCH,
      Instant.parse("0000-01-01T00:00:00Z"),
      Instant.parse("9999-12-31T23:59:59.999999999Z"),
      Instant.parse("+10000-01-01T00:00:00Z"),
      Instant.parse("-0001-12-31T23:59:59Z"),
      Instant.parse("2025-03-01T10:00:00.120Z"),
      Instant.parse("2025-03-01T10:00:00.000120Z"),
      Instant.parse("2025-03-01T10:00:00.000000120Z"),
      Instant.MIN,
      Instant.MAX
    };
    for (Instant instant : edges) {
      String expected = cell(csv -> csv.text(instant.toString()));
      assertEquals(expected, cell(csv -> csv.instant(instant)), instant.toString());
    }
    for (int i = 0; i < 100_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(-70_000_000_000L, 260_000_000_000L),
              switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
              });
      // As the text cell of its toString: years beyond 9999 start with a guarded '+'.
      assertEquals(cell(csv -> csv.text(instant.toString())), cell(csv -> csv.instant(instant)));
    }
    assertEquals(",", cell(csv -> csv.instant(null).instant(null)));
  }

  @Test
  void aNumber_isWrittenAsItsPlainString() throws IOException {
    SplittableRandom random = new SplittableRandom(17);
    BigDecimal[] edges = {
      BigDecimal.ZERO,
      new BigDecimal("0.00"),
      new BigDecimal("-0.0001"),
      new BigDecimal("1E+3"),
      new BigDecimal("123456789012345678"),
      new BigDecimal("1234567890123456789"),
      new BigDecimal("0.1234567890123456789"),
      new BigDecimal("-999999999999999999"),
      new BigDecimal("12.5")
    };
    for (BigDecimal amount : edges) {
      assertEquals(amount.toPlainString(), cell(csv -> csv.number(amount)));
    }
    for (int i = 0; i < 100_000; i++) {
      BigDecimal amount =
          BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(-3, 22));
      assertEquals(amount.toPlainString(), cell(csv -> csv.number(amount)), amount.toString());
    }
  }

  @Test
  void aRowLongerThanTheBuffer_isWrittenWhole() throws IOException {
    String longCell = "x".repeat(40_000);
    assertEquals(
        "a," + longCell + ",b\r\n",
        cell(
            csv -> {
              csv.text("a").text(longCell).text("b").endRow();
            }));
  }
}
