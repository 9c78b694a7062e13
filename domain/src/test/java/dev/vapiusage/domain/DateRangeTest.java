package dev.vapiusage.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DateRangeTest {
  // 2024-02-01T03:00Z is still January 31st in New York.
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-02-01T03:00:00Z"), ZoneOffset.UTC);

  private static ErrorCode codeOf(Runnable action) {
    try {
      action.run();
    } catch (UsageException e) {
      return e.code();
    }
    throw new AssertionError("no UsageException");
  }

  @Test
  void withoutDates_theRangeIsThisMonthToTodayInTheZone() {
    assertThat(DateRange.resolve(null, null, null, CLOCK))
        .isEqualTo(
            new DateRange(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 1), ZoneId.of("UTC")));
    assertThat(DateRange.resolve(null, null, "America/New_York", CLOCK))
        .isEqualTo(
            new DateRange(
                LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 1, 31),
                ZoneId.of("America/New_York")));
  }

  @Test
  void withOnlyAnEndDate_theRangeStartsOnTheFirstOfItsMonth() {
    assertThat(DateRange.resolve("", "2023-11-20", "UTC", CLOCK).start())
        .isEqualTo(LocalDate.of(2023, 11, 1));
  }

  @Test
  void badInput_getsTheContractsCodes() {
    assertThat(codeOf(() -> DateRange.resolve("2024-13-01", null, null, CLOCK)))
        .isEqualTo(ErrorCode.INVALID_DATE);
    assertThat(codeOf(() -> DateRange.resolve("2024-1-01", null, null, CLOCK)))
        .isEqualTo(ErrorCode.INVALID_DATE);
    assertThat(codeOf(() -> DateRange.resolve("2024-02-02", "2024-02-01", null, CLOCK)))
        .isEqualTo(ErrorCode.INVALID_RANGE);
    assertThat(codeOf(() -> DateRange.resolve("2023-01-01", "2024-01-02", null, CLOCK)))
        .isEqualTo(ErrorCode.RANGE_TOO_LARGE);
    assertThat(codeOf(() -> DateRange.resolve(null, null, "Mars/Olympus", CLOCK)))
        .isEqualTo(ErrorCode.INVALID_TIMEZONE);
    assertThat(codeOf(() -> DateRange.resolve(" 2024-01-01", null, null, CLOCK)))
        .isEqualTo(ErrorCode.INVALID_DATE);
    assertThat(codeOf(() -> DateRange.resolve("2024-02-30", null, null, CLOCK)))
        .isEqualTo(ErrorCode.INVALID_DATE);
  }

  @Test
  void aLeapYearOf366Days_isAllowed() {
    DateRange range = DateRange.resolve("2024-01-01", "2024-12-31", null, CLOCK);
    assertThat(range.dayCount()).isEqualTo(366);
  }

  @Test
  void bounds_followTheZonesMidnight() {
    DateRange range =
        new DateRange(
            LocalDate.of(2024, 3, 10), LocalDate.of(2024, 3, 10), ZoneId.of("America/New_York"));
    assertThat(range.startInstant()).isEqualTo(Instant.parse("2024-03-10T05:00:00Z"));
    assertThat(range.endExclusive()).isEqualTo(Instant.parse("2024-03-11T04:00:00Z"));
  }

  @Test
  void apiKey_neverPrintsItself() {
    ApiKey key = ApiKey.of("sk-live-secret-9f3a");
    assertThat(key.toString()).doesNotContain("secret").contains("9f3a");
    assertThat(key.hint().value()).isEqualTo("…9f3a");
    assertThat(codeOf(() -> ApiKey.of("  "))).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(codeOf(() -> ApiKey.of("x".repeat(513)))).isEqualTo(ErrorCode.INVALID_REQUEST);
  }

  @Test
  void onlyIanaZoneNames_areTimeZones() {
    for (String zone :
        new String[] {
          "Z",
          "+18:00",
          "-05:00",
          "UTC+18",
          "GMT0",
          "GMT",
          "EST",
          "SystemV/AST4",
          "utc",
          "Europe/berlin",
          "/Europe"
        }) {
      assertThat(codeOf(() -> DateRange.resolve(null, null, zone, CLOCK)))
          .as(zone)
          .isEqualTo(ErrorCode.INVALID_TIMEZONE);
    }
    for (String zone :
        new String[] {
          "UTC",
          "Europe/Berlin",
          "America/Argentina/Buenos_Aires",
          "Etc/GMT+5",
          "Pacific/Kiritimati"
        }) {
      assertThat(DateRange.resolve(null, null, zone, CLOCK).zone())
          .as(zone)
          .isEqualTo(ZoneId.of(zone));
    }
  }

  @Test
  void aPastedKey_losesTheWhitespaceAroundIt() {
    assertThat(ApiKey.of("  sk-live-9f3a\n\t").reveal()).isEqualTo("sk-live-9f3a");
  }

  @Test
  void aKeyWithCharactersAHeaderCannotCarry_isAnInvalidRequest() {
    String[] bad = {
      "\u2026abcd",
      "sk-key\u200b",
      "\ufeffsk-key",
      "sk\u0000key",
      "sk\u007fkey",
      "sk-key\r\nX-Evil: 1",
      "sk key",
      "sk-\ud800-key",
      "sk-\udc00",
      "sk-\ud83d\ude00-key",
      "sk-caf\u00e9"
    };
    for (String key : bad) {
      assertThat(codeOf(() -> ApiKey.of(key)))
          .as("key %s", key.codePoints().mapToObj(Integer::toHexString).toList())
          .isEqualTo(ErrorCode.INVALID_REQUEST);
      try {
        ApiKey.of(key);
      } catch (UsageException e) {
        assertThat(e.getMessage()).doesNotContain(key.strip());
      }
    }
  }
}
