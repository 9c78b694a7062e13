package dev.vapiusage.adapter.vapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

  @Test
  void givenDelaySeconds_parse_waitsThatLong() {
    assertThat(RetryAfter.parse(Optional.of("120"), NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(Optional.of(" 0 "), NOW)).contains(Duration.ZERO);
  }

  @Test
  void givenAnHttpDate_parse_waitsUntilThen() {
    assertThat(RetryAfter.parse(Optional.of("Wed, 21 Oct 2026 07:28:30 GMT"), NOW))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void givenAnHttpDateInThePast_parse_waitsNotAtAll() {
    assertThat(RetryAfter.parse(Optional.of("Wed, 21 Oct 2026 07:27:00 GMT"), NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void givenNoOrAnUnreadableHeader_parse_leavesTheWaitToTheBackoff() {
    assertThat(RetryAfter.parse(Optional.empty(), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of(""), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("soon"), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("-5"), NOW)).isEmpty();
    assertThat(RetryAfter.parse(Optional.of("99999999999999999999999"), NOW)).isEmpty();
  }
}
