package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.application.CallView;
import dev.vapiusage.application.DashboardUsage;
import dev.vapiusage.application.IntegrationStatus;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.CostItem.ModelKey;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.metrics.DailyUsage;
import dev.vapiusage.domain.metrics.Figures;
import dev.vapiusage.domain.metrics.GroupUsage;
import dev.vapiusage.domain.metrics.ModelFigures;
import dev.vapiusage.domain.metrics.ModelUsage;
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
        List.of(new GroupUsage("asst-1", "Front desk", halfUp), new GroupUsage(null, belowShown)),
        List.of(new GroupUsage("inboundPhoneCall", negativeZero)),
        List.of(),
        List.of(
            new ModelUsage(
                new ModelKey("model", "openai", "gpt-4o"),
                new ModelFigures(2, new BigDecimal("0.12345650"), 1200L, 80L, null, null)),
            new ModelUsage(
                new ModelKey("transcriber", null, null),
                new ModelFigures(1, new BigDecimal("1E-7"), null, null, null, null)),
            new ModelUsage(
                new ModelKey("voice", "11labs", "voice-7"),
                new ModelFigures(
                    1, new BigDecimal("0.01"), null, null, 340L, new BigDecimal("2.516666")))),
        3);
  }

  private static final String AWKWARD_METRICS =
      "{\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-02\",\"timezone\":\"Europe/Berlin\","
          + "\"currency\":\"USD\","
          + "\"totals\":{\"calls\":3,\"minutes\":1000,\"cost\":1000},"
          + "\"costBreakdown\":{\"transport\":1000,\"stt\":0,\"llm\":0,\"tts\":2.5,\"vapi\":-1.5,"
          + "\"analysis\":0},"
          + "\"daily\":[{\"date\":\"2024-01-01\",\"calls\":4,\"minutes\":90,\"cost\":12.34},"
          + "{\"date\":\"2024-01-02\",\"calls\":0,\"minutes\":0,\"cost\":0}],"
          + "\"byAssistant\":[{\"assistantId\":\"asst-1\",\"assistantName\":\"Front desk\","
          + "\"calls\":5,\"minutes\":0,\"cost\":123456789.123457},"
          + "{\"assistantId\":null,\"assistantName\":null,\"calls\":1,\"minutes\":0,\"cost\":0}],"
          + "\"byType\":[{\"type\":\"inboundPhoneCall\",\"calls\":2,\"minutes\":0.05,\"cost\":0}],"
          + "\"byEndedReason\":[],"
          + "\"byModel\":[{\"component\":\"model\",\"provider\":\"openai\",\"model\":\"gpt-4o\","
          + "\"calls\":2,\"cost\":0.123457,\"promptTokens\":1200,\"completionTokens\":80},"
          + "{\"component\":\"transcriber\",\"provider\":null,\"model\":null,\"calls\":1,"
          + "\"cost\":0},"
          + "{\"component\":\"voice\",\"provider\":\"11labs\",\"model\":\"voice-7\",\"calls\":1,"
          + "\"cost\":0.01,\"characters\":340,\"minutes\":2.5167}],"
          + "\"stuckCalls\":3}";

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
                + "\"byAssistant\":[],\"byType\":[],\"byEndedReason\":[],\"byModel\":[],"
                + "\"stuckCalls\":0,\"lastSyncedAt\":null,\"stale\":true}");
  }

  @Test
  void neverConnectedStatus_writesEveryAbsentPartAsNull_andNoSyncProgress() {
    assertThat(statusJson(IntegrationStatus.NEVER_CONNECTED, null))
        .isEqualTo(
            "{\"connected\":false,\"keyHint\":null,\"connectedAt\":null,\"lastSyncedAt\":null,"
                + "\"lastSyncStatus\":null,\"lastSyncError\":null,\"webhookUrl\":null}");
  }

  @Test
  void connectedStatus_writesTheWebhookUrlAfterTheSyncFields_andItsProgressLast() {
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

    assertThat(
            statusJson(
                status,
                "https://usage.example.com/api/vapi/webhook/0123456789abcdef0123456789abcdef"))
        .isEqualTo(
            "{\"connected\":true,\"keyHint\":\"…9f3a\",\"connectedAt\":\"2024-02-01T10:00:00Z\","
                + "\"lastSyncedAt\":\"2024-02-03T08:15:00.123Z\",\"lastSyncStatus\":\"failed\","
                + "\"lastSyncError\":\"sync_failed\","
                + "\"webhookUrl\":\"https://usage.example.com/api/vapi/webhook/"
                + "0123456789abcdef0123456789abcdef\","
                + "\"syncProgress\":{\"syncedCalls\":0}}");
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

  private static CallRecord costedCall() {
    Instant created = Instant.parse("2024-01-01T09:00:00Z");
    return new CallRecord(
        "call-1",
        "org-1",
        created,
        Instant.parse("2024-01-01T09:03:10.5Z"),
        created.plusSeconds(1),
        // 151 seconds: 2.516666… minutes
        created.plusSeconds(152),
        "inboundPhoneCall",
        "ended",
        "customer-ended-call",
        "asst-1",
        new BigDecimal("0.2712340"),
        new CostComponents(
            new BigDecimal("0.01"),
            new BigDecimal("0.0200000"),
            new BigDecimal("0.1234567"),
            new BigDecimal("0.05"),
            new BigDecimal("0.05"),
            new BigDecimal("0.0177773")),
        List.of(
            new CostItem(
                "model",
                new BigDecimal("0.1234567"),
                "openai",
                "gpt-4o",
                null,
                null,
                null,
                1200L,
                80L),
            new CostItem(
                "transcriber",
                new BigDecimal("0.02"),
                "deepgram",
                "nova-2",
                null,
                new BigDecimal("2.5166666667"),
                null,
                null,
                null),
            new CostItem(
                "vapi", new BigDecimal("0.05"), null, null, null, null, null, null, null)));
  }

  private static final String COSTED_CALL =
      "{\"id\":\"call-1\",\"createdAt\":\"2024-01-01T09:00:00Z\","
          + "\"startedAt\":\"2024-01-01T09:00:01Z\",\"endedAt\":\"2024-01-01T09:02:32Z\","
          + "\"type\":\"inboundPhoneCall\",\"status\":\"ended\","
          + "\"endedReason\":\"customer-ended-call\",\"assistantId\":\"asst-1\","
          + "\"assistantName\":\"Front desk\",\"minutes\":2.5167,\"cost\":0.271234,\"final\":true}";

  @Test
  void call_showsMinutesRoundedAndTheCostExactlyAsSent_withItsFinality() {
    CallView view = new CallView(costedCall(), "Front desk", true);

    assertThat(text(Json.bytes(Views.Call.of(view)))).isEqualTo(COSTED_CALL);
  }

  @Test
  void callWithoutTimesOrCost_showsNullMinutesAndCost() {
    CallRecord queued =
        new CallRecord(
            "call-2",
            null,
            Instant.parse("2024-01-01T09:00:00Z"),
            Instant.parse("2024-01-01T09:00:00Z"),
            null,
            null,
            null,
            "queued",
            null,
            null,
            null,
            null);

    assertThat(text(Json.bytes(Views.Call.of(new CallView(queued, null, false)))))
        .isEqualTo(
            "{\"id\":\"call-2\",\"createdAt\":\"2024-01-01T09:00:00Z\",\"startedAt\":null,"
                + "\"endedAt\":null,\"type\":null,\"status\":\"queued\",\"endedReason\":null,"
                + "\"assistantId\":null,\"assistantName\":null,\"minutes\":null,\"cost\":null,"
                + "\"final\":false}");
  }

  @Test
  void callDetail_addsUpdatedAtTheExactBreakdownAndOnlyTheFieldsEachCostItemHas() {
    CallView view = new CallView(costedCall(), "Front desk", true);

    assertThat(text(Json.bytes(Views.CallDetail.of(view))))
        .isEqualTo(
            COSTED_CALL.substring(0, COSTED_CALL.length() - 1)
                + ",\"updatedAt\":\"2024-01-01T09:03:10.500Z\","
                + "\"costBreakdown\":{\"transport\":0.01,\"stt\":0.02,\"llm\":0.1234567,"
                + "\"tts\":0.05,\"vapi\":0.05,\"analysis\":0.0177773},"
                + "\"costs\":[{\"type\":\"model\",\"cost\":0.1234567,\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"promptTokens\":1200,\"completionTokens\":80},"
                + "{\"type\":\"transcriber\",\"cost\":0.02,\"provider\":\"deepgram\","
                + "\"model\":\"nova-2\",\"minutes\":2.5166666667},"
                + "{\"type\":\"vapi\",\"cost\":0.05}]}");
  }

  private static String metricsJson(UsageMetrics metrics) {
    return text(Json.bytes(Views.Metrics.of(metrics)));
  }

  private static String dashboardJson(DashboardUsage usage) {
    return text(Json.bytes(Views.Usage.of(usage)));
  }

  private static String statusJson(IntegrationStatus status, String webhookUrl) {
    return text(Json.bytes(Views.Status.of(status, webhookUrl)));
  }

  private static String syncResultJson(SyncResult result) {
    return text(Json.bytes(Views.Sync.of(result)));
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }
}
