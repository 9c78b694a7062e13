package dev.vapiusage.domain.metrics;

import static dev.vapiusage.domain.testing.TestData.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's metric definitions (§5), checked against sums worked out by hand. */
class UsageAccumulatorTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static UsageMetrics metrics(DateRange range, CallRecord... calls) {
    UsageAccumulator accumulator = new UsageAccumulator(range);
    accumulator.addAll(List.of(calls));
    return accumulator.toMetrics();
  }

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  @Test
  void inNewYorkAcrossTheSpringDstChange_callsFallOnTheirLocalDates() {
    // 2024-03-10 in New York runs from 05:00Z (EST) to 04:00Z next day (EDT): 23 hours.
    DateRange range = new DateRange(LocalDate.of(2024, 3, 9), LocalDate.of(2024, 3, 11), NEW_YORK);
    UsageMetrics metrics =
        metrics(
            range,
            call("a", at("2024-03-10T04:59:59.999Z"))
                .cost("1")
                .build(), // 23:59:59.999 EST on the 9th
            call("b", at("2024-03-10T05:00:00Z")).cost("2").build(), // midnight EST on the 10th
            call("c", at("2024-03-11T03:59:59.999Z"))
                .cost("4")
                .build(), // 23:59:59.999 EDT on the 10th
            call("d", at("2024-03-11T04:00:00Z")).cost("8").build(), // midnight EDT on the 11th
            call("e", at("2024-03-09T04:59:59Z")).cost("16").build(), // the 8th: outside
            call("f", at("2024-03-12T04:00:00Z")).cost("32").build()); // the 12th: outside

    assertThat(metrics.daily())
        .extracting(DailyUsage::date, d -> d.figures().calls(), d -> d.figures().cost())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2024, 3, 9), 1L, new BigDecimal("1")),
            org.assertj.core.groups.Tuple.tuple(LocalDate.of(2024, 3, 10), 2L, new BigDecimal("6")),
            org.assertj.core.groups.Tuple.tuple(
                LocalDate.of(2024, 3, 11), 1L, new BigDecimal("8")));
    assertThat(metrics.totals().calls()).isEqualTo(4);
    assertThat(metrics.totals().cost()).isEqualByComparingTo("15");
  }

  @Test
  void callsWithoutStartEndOrCost_countAsCallsWithZeroMinutesAndCost() {
    DateRange range = new DateRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 1), UTC);
    Instant t = at("2024-01-01T10:00:00Z");
    UsageMetrics metrics =
        metrics(
            range,
            call("queued", t).build(),
            call("no-end", t).talked(t, null).cost("0.5").build(),
            call("no-start", t).talked(null, t.plusSeconds(60)).build(),
            call("ended", t).talked(t, t.plusSeconds(90)).cost("0.25").build());

    assertThat(metrics.totals().calls()).isEqualTo(4);
    assertThat(metrics.totals().minutesShown()).isEqualByComparingTo("1.5000");
    assertThat(metrics.totals().cost()).isEqualByComparingTo("0.75");
  }

  @Test
  void theEndDate_isIncluded_andTheDayAfterIsNot() {
    DateRange range = new DateRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 31), UTC);
    UsageMetrics metrics =
        metrics(
            range,
            call("last", at("2024-01-31T23:59:59.999Z")).build(),
            call("after", at("2024-02-01T00:00:00Z")).build(),
            call("first", at("2024-01-01T00:00:00Z")).build(),
            call("before", at("2023-12-31T23:59:59.999Z")).build());
    assertThat(metrics.totals().calls()).isEqualTo(2);
  }

  @Test
  void daysWithoutCalls_arePresentWithZeros() {
    DateRange range = new DateRange(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29), UTC);
    UsageMetrics metrics = metrics(range, call("x", at("2024-02-15T12:00:00Z")).cost("3").build());
    assertThat(metrics.daily()).hasSize(29);
    assertThat(metrics.daily())
        .extracting(DailyUsage::date)
        .isSorted()
        .startsWith(LocalDate.of(2024, 2, 1));
    assertThat(metrics.daily().get(0).figures()).isEqualTo(Figures.ZERO);
    assertThat(metrics.daily().get(14).figures().calls()).isEqualTo(1);
  }

  @Test
  void sums_areExactToTheLastDecimal() {
    DateRange range = new DateRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 1), UTC);
    Instant t = at("2024-01-01T00:00:00Z");
    // 0.1 + 0.2 is 0.30000000000000004 in binary floating point.
    UsageMetrics metrics =
        metrics(
            range,
            call("a", t).cost("0.1").build(),
            call("b", t).cost("0.2").build(),
            call("c", t).cost("0.000000000001").build());
    assertThat(metrics.totals().cost()).isEqualTo(new BigDecimal("0.300000000001"));
  }

  @Test
  void rounding_appliesToTheExactSumNotToRoundedParts() {
    DateRange range = new DateRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 1), UTC);
    Instant t = at("2024-01-01T00:00:00Z");
    // Each call: 1 second (0.016666… min, shown 0.0167) and $0.0000004 (shown 0.000000).
    CallRecord[] calls = new CallRecord[3];
    for (int i = 0; i < 3; i++) {
      calls[i] = call("c" + i, t).talked(t, t.plusSeconds(1)).cost("0.0000004").build();
    }
    UsageMetrics metrics = metrics(range, calls);
    assertThat(metrics.totals().minutesShown()).isEqualTo(new BigDecimal("0.0500"));
    assertThat(metrics.totals().costShown()).isEqualTo(new BigDecimal("0.000001"));
  }

  @Test
  void halfUpRounding_roundsFivesAwayFromZero() {
    assertThat(new Figures(1, 3_000, new BigDecimal("0.0000005")).costShown())
        .isEqualTo(new BigDecimal("0.000001"));
    // 3 ms = 0.00005 min: half-up to 4 decimals gives 0.0001.
    assertThat(new Figures(1, 3_000, BigDecimal.ZERO).minutesShown())
        .isEqualTo(new BigDecimal("0.0001"));
  }

  @Test
  void costBreakdown_sumsEveryComponent() {
    DateRange range = new DateRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 1), UTC);
    Instant t = at("2024-01-01T00:00:00Z");
    UsageMetrics metrics =
        metrics(
            range,
            call("a", t).costs("0.01", "0.02", "0.03", "0.04", "0.05", "0.006").build(),
            call("b", t).costs("0.1", "0.2", "0.3", "0.4", "0.5", "0.0004").build());
    assertThat(metrics.costBreakdown().transport()).isEqualByComparingTo("0.11");
    assertThat(metrics.costBreakdown().stt()).isEqualByComparingTo("0.22");
    assertThat(metrics.costBreakdown().llm()).isEqualByComparingTo("0.33");
    assertThat(metrics.costBreakdown().tts()).isEqualByComparingTo("0.44");
    assertThat(metrics.costBreakdown().vapi()).isEqualByComparingTo("0.55");
    assertThat(metrics.costBreakdown().analysis()).isEqualByComparingTo("0.0064");
  }

  @Test
  void breakdowns_groupMissingValuesUnderNullAndSortByCostHighestFirst() {
    DateRange range = new DateRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 1), UTC);
    Instant t = at("2024-01-01T00:00:00Z");
    UsageMetrics metrics =
        metrics(
            range,
            call("a", t).assistantId("cheap").type("webCall").cost("1").build(),
            call("b", t).assistantId("dear").type("webCall").cost("5").build(),
            call("c", t).cost("3").build(),
            call("d", t).assistantId("cheap").endedReason("voicemail").cost("1.5").build());

    assertThat(metrics.byAssistant())
        .extracting(GroupUsage::key, g -> g.figures().calls(), g -> g.figures().cost())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dear", 1L, new BigDecimal("5")),
            org.assertj.core.groups.Tuple.tuple(null, 1L, new BigDecimal("3")),
            org.assertj.core.groups.Tuple.tuple("cheap", 2L, new BigDecimal("2.5")));
    assertThat(metrics.byType()).extracting(GroupUsage::key).containsExactly("webCall", null);
    assertThat(metrics.byEndedReason())
        .extracting(GroupUsage::key)
        .containsExactly(null, "voicemail");
  }

  @Test
  void batchesInAnyOrder_giveTheSameMetrics() {
    DateRange range = new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), NEW_YORK);
    List<CallRecord> calls =
        dev.vapiusage.domain.testing.UsageRepositoryContract.randomCalls(
            new java.util.Random(3), 300);
    UsageAccumulator forwards = new UsageAccumulator(range);
    forwards.addAll(calls);
    UsageAccumulator backwards = new UsageAccumulator(range);
    for (int i = calls.size() - 1; i >= 0; i--) {
      backwards.add(calls.get(i));
    }
    assertThat(backwards.toMetrics()).isEqualTo(forwards.toMetrics());
  }
}
