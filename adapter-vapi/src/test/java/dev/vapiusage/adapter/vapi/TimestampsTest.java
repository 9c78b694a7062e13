package dev.vapiusage.adapter.vapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void givenRandomInstants_formatThenParse_roundTripsEveryMillisecond() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 20_000; i++) {
      long millis = random.nextLong(0, Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli());
      String text = Timestamps.format(millis);

      assertThat(text).hasSize(24).endsWith("Z");
      assertThat(Timestamps.parse(text)).isEqualTo(Instant.ofEpochMilli(millis));
      assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void givenAWholeSecond_format_stillWritesThreeFractionDigits() {
    assertThat(Timestamps.format(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()))
        .isEqualTo("2026-01-01T00:00:00.000Z");
  }

  @Test
  void givenOtherIsoForms_parse_fallsBackToTheFullParser() {
    assertThat(Timestamps.parse("2026-08-18T14:02:11Z"))
        .isEqualTo(Instant.parse("2026-08-18T14:02:11Z"));
    assertThat(Timestamps.parse("2026-08-18T16:02:11.482+02:00"))
        .isEqualTo(Instant.parse("2026-08-18T14:02:11.482Z"));
    assertThat(Timestamps.parse("2026-08-18T14:02:11.482123Z"))
        .isEqualTo(Instant.parse("2026-08-18T14:02:11.482123Z"));
  }

  @Test
  void givenImpossibleDatesInTheFastForm_parse_rejectsThem() {
    for (String text :
        new String[] {
          "2026-02-30T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-01-01T25:00:00.000Z",
          "2026-01-01T00:60:00.000Z", "2026-0a-01T00:00:00.000Z", "not-a-timestamp-at-all!!"
        }) {
      assertThatThrownBy(() -> Timestamps.parse(text))
          .as(text)
          .isInstanceOf(DateTimeException.class);
    }
  }

  @Test
  void givenSubMillisecondBounds_ceilMillis_roundsUpToTheFirstMillisecondInside() {
    assertThat(Timestamps.ceilMillis(Instant.ofEpochMilli(1_000))).isEqualTo(1_000);
    assertThat(Timestamps.ceilMillis(Instant.ofEpochSecond(1, 1))).isEqualTo(1_001);
    assertThat(Timestamps.ceilMillis(Instant.ofEpochSecond(1, 999_999))).isEqualTo(1_001);
  }
}
