package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.application.DashboardUsage;
import dev.vapiusage.application.IntegrationStatus;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.metrics.DailyUsage;
import dev.vapiusage.domain.metrics.Figures;
import dev.vapiusage.domain.metrics.GroupUsage;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact text of every JSON object the views write: field order, nulls, and numbers as plain
 * decimals without exponent or trailing zeros, whatever scale the exact sums had.
 */
class ViewsTest {
  private static final LocalDate JAN_1 = LocalDate.of(2024, 1, 1);
  private static final LocalDate JAN_2 = LocalDate.of(2024, 1, 2);

  /** A minute is 60,000,000 microseconds. */
  private static final long MINUTE = 60_000_000L;

  private static UsageMetrics awkwardMetrics() {
    Figures thousand = new Figures(3, 1_000 * MINUTE, new BigDecimal("1E+3"));
    Figures belowShown = new Figures(1, 1, new BigDecimal("0.0000001"));
    Figures negativeZero = new Figures(2, 3_000_000L, new BigDecimal("-0.0000004"));
    Figures trailing = new Figures(4, 90 * MINUTE, new BigDecimal("12.340000000"));
    Figures halfUp = new Figures(5, 7, new BigDecimal("123456789.1234565"));
    return new UsageMetrics(
        new DateRange(JAN_1, JAN_2, ZoneId.of("Europe/Berlin")),
        UsageMetrics.CURRENCY,
        thousand,
        new CostComponents(
            new BigDecimal("1E+3"),
            new BigDecimal("0.000000"),
            new BigDecimal("-0.0000001"),
            new BigDecimal("2.50"),
            new BigDecimal("-1.5000000"),
            new BigDecimal("1E-7")),
        List.of(new DailyUsage(JAN_1, trailing), new DailyUsage(JAN_2, Figures.ZERO)),
        List.of(new GroupUsage("asst-1", halfUp), new GroupUsage(null, belowShown)),
        List.of(new GroupUsage("inboundPhoneCall", negativeZero)),
        List.of(),
        List.of(),
        0);
  }

  private static final String AWKWARD_METRICS =
      "{\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-02\",\"timezone\":\"Europe/Berlin\","
          + "\"currency\":\"USD\","
          + "\"totals\":{\"calls\":3,\"minutes\":1000,\"cost\":1000},"
          + "\"costBreakdown\":{\"transport\":1000,\"stt\":0,\"llm\":0,\"tts\":2.5,\"vapi\":-1.5,"
          + "\"analysis\":0},"
          + "\"daily\":[{\"date\":\"2024-01-01\",\"calls\":4,\"minutes\":90,\"cost\":12.34},"
          + "{\"date\":\"2024-01-02\",\"calls\":0,\"minutes\":0,\"cost\":0}],"
          + "\"byAssistant\":[{\"assistantId\":\"asst-1\",\"calls\":5,\"minutes\":0,"
          + "\"cost\":123456789.123457},"
          + "{\"assistantId\":null,\"calls\":1,\"minutes\":0,\"cost\":0}],"
          + "\"byType\":[{\"type\":\"inboundPhoneCall\",\"calls\":2,\"minutes\":0.05,\"cost\":0}],"
          + "\"byEndedReason\":[]}";

  @Test
  void metrics_areWrittenAsPlainNormalisedDecimals_inTheContractsOrder() {
    assertThat(metricsJson(awkwardMetrics())).isEqualTo(AWKWARD_METRICS);
  }

  @Test
  void dashboardUsage_isTheMetricsObjectWithLastSyncedAtAndStale() {
    Instant synced = Instant.parse("2024-02-03T08:15:00Z");

    assertThat(dashboardJson(new DashboardUsage(awkwardMetrics(), synced, false)))
        .isEqualTo(
            AWKWARD_METRICS.substring(0, AWKWARD_METRICS.length() - 1)
                + ",\"lastSyncedAt\":\"2024-02-03T08:15:00Z\",\"stale\":false}");
  }

  @Test
  void neverSyncedDashboardUsage_writesLastSyncedAtAsNull() {
    UsageMetrics empty = UsageMetrics.empty(new DateRange(JAN_1, JAN_1, ZoneId.of("UTC")));

    assertThat(dashboardJson(new DashboardUsage(empty, null, true)))
        .isEqualTo(
            "{\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-01\",\"timezone\":\"UTC\","
                + "\"currency\":\"USD\","
                + "\"totals\":{\"calls\":0,\"minutes\":0,\"cost\":0},"
                + "\"costBreakdown\":{\"transport\":0,\"stt\":0,\"llm\":0,\"tts\":0,\"vapi\":0,"
                + "\"analysis\":0},"
                + "\"daily\":[{\"date\":\"2024-01-01\",\"calls\":0,\"minutes\":0,\"cost\":0}],"
                + "\"byAssistant\":[],\"byType\":[],\"byEndedReason\":[],"
                + "\"lastSyncedAt\":null,\"stale\":true}");
  }

  @Test
  void neverConnectedStatus_writesEveryAbsentPartAsNull_andNoSyncProgress() {
    assertThat(statusJson(IntegrationStatus.NEVER_CONNECTED))
        .isEqualTo(
            "{\"connected\":false,\"keyHint\":null,\"connectedAt\":null,\"lastSyncedAt\":null,"
                + "\"lastSyncStatus\":null,\"lastSyncError\":null}");
  }

  @Test
  void runningSyncStatus_writesItsProgressLast() {
    IntegrationStatus status =
        new IntegrationStatus(
                true,
                "…9f3a",
                Instant.parse("2024-02-01T10:00:00Z"),
                Instant.parse("2024-02-03T08:15:00.123Z"),
                SyncStatus.FAILED,
                ErrorCode.SYNC_FAILED,
                null)
            .withSyncProgress(0);

    assertThat(statusJson(status))
        .isEqualTo(
            "{\"connected\":true,\"keyHint\":\"…9f3a\",\"connectedAt\":\"2024-02-01T10:00:00Z\","
                + "\"lastSyncedAt\":\"2024-02-03T08:15:00.123Z\",\"lastSyncStatus\":\"failed\","
                + "\"lastSyncError\":\"sync_failed\",\"syncProgress\":{\"syncedCalls\":0}}");
  }

  @Test
  void syncResult_isAlwaysCompleted() {
    SyncResult result =
        new SyncResult(
            1234, JAN_1, LocalDate.of(2024, 1, 31), Instant.parse("2024-02-03T08:15:00Z"));

    assertThat(syncResultJson(result))
        .isEqualTo(
            "{\"status\":\"completed\",\"syncedCalls\":1234,\"startDate\":\"2024-01-01\","
                + "\"endDate\":\"2024-01-31\",\"lastSyncedAt\":\"2024-02-03T08:15:00Z\"}");
  }

  private static String metricsJson(UsageMetrics metrics) {
    return text(Json.bytes(Views.Metrics.of(metrics)));
  }

  private static String dashboardJson(DashboardUsage usage) {
    return text(Json.bytes(Views.Usage.of(usage)));
  }

  private static String statusJson(IntegrationStatus status) {
    return text(Json.bytes(Views.Status.of(status)));
  }

  private static String syncResultJson(SyncResult result) {
    return text(Json.bytes(Views.Sync.of(result)));
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }
}
