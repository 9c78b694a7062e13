package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vapiusage.application.DashboardUsage;
import dev.vapiusage.application.IntegrationStatus;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.Money;
import dev.vapiusage.domain.metrics.DailyUsage;
import dev.vapiusage.domain.metrics.Figures;
import dev.vapiusage.domain.metrics.GroupUsage;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The contract's JSON shapes, built from the use cases' results. Rounding happens only here, on the
 * exact sums; trailing zeros are dropped so {@code 10.5000} shows as {@code 10.5}.
 */
final class Views {
  private Views() {}

  static ObjectNode status(IntegrationStatus status) {
    ObjectNode node = Json.object();
    node.put("connected", status.connected());
    node.put("keyHint", status.keyHint());
    node.put("connectedAt", instant(status.connectedAt()));
    node.put("lastSyncedAt", instant(status.lastSyncedAt()));
    node.put(
        "lastSyncStatus", status.lastSyncStatus() == null ? null : status.lastSyncStatus().code());
    node.put(
        "lastSyncError", status.lastSyncError() == null ? null : status.lastSyncError().code());
    if (status.syncProgress() != null) {
      node.putObject("syncProgress").put("syncedCalls", status.syncProgress());
    }
    return node;
  }

  /** A sync result: a sync that answers is always a completed one (a failed one is an error). */
  static ObjectNode syncResult(SyncResult result) {
    ObjectNode node = Json.object();
    node.put("status", "completed");
    node.put("syncedCalls", result.syncedCalls());
    node.put("startDate", result.startDate().toString());
    node.put("endDate", result.endDate().toString());
    node.put("lastSyncedAt", instant(result.lastSyncedAt()));
    return node;
  }

  /**
   * The metrics' JSON by identity: a dashboard view answered from what the use case kept hands back
   * the same metrics object, whose JSON is then written once rather than per request. This is no
   * second cache of the dashboard's data, with a policy of its own: its keys are weak, so an entry
   * lives exactly as long as {@code GetDashboardUsage} keeps those metrics (valid while the user's
   * data version is unchanged); the size bound is only a backstop.
   */
  private static final Cache<UsageMetrics, byte[]> RENDERED =
      Caffeine.newBuilder().weakKeys().maximumSize(1_000).build();

  /** The dashboard view's JSON: the metrics' kept JSON, then the two fields of this view. */
  static byte[] dashboardBytes(DashboardUsage usage) {
    byte[] metrics = RENDERED.get(usage.metrics(), kept -> Json.bytes(metrics(kept)));
    ObjectNode view = Json.object();
    view.put("lastSyncedAt", instant(usage.lastSyncedAt()));
    view.put("stale", usage.stale());
    byte[] fields = Json.bytes(view);
    // {...metrics} and {"lastSyncedAt":…,"stale":…} make {...metrics,"lastSyncedAt":…,"stale":…}.
    byte[] joined = new byte[metrics.length + fields.length - 1];
    System.arraycopy(metrics, 0, joined, 0, metrics.length - 1);
    joined[metrics.length - 1] = ',';
    System.arraycopy(fields, 1, joined, metrics.length, fields.length - 1);
    return joined;
  }

  static ObjectNode metrics(UsageMetrics metrics) {
    ObjectNode node = Json.object();
    node.put("startDate", metrics.range().start().toString());
    node.put("endDate", metrics.range().end().toString());
    node.put("timezone", metrics.range().zone().getId());
    node.put("currency", metrics.currency());
    node.set("totals", figures(Json.object(), metrics.totals()));
    node.set("costBreakdown", costBreakdown(metrics.costBreakdown()));
    ArrayNode daily = node.putArray("daily");
    for (DailyUsage day : metrics.daily()) {
      ObjectNode entry = daily.addObject();
      entry.put("date", day.date().toString());
      figures(entry, day.figures());
    }
    groups(node.putArray("byAssistant"), "assistantId", metrics.byAssistant());
    groups(node.putArray("byType"), "type", metrics.byType());
    groups(node.putArray("byEndedReason"), "endedReason", metrics.byEndedReason());
    return node;
  }

  private static ObjectNode costBreakdown(CostComponents costs) {
    ObjectNode node = Json.object();
    node.put("transport", plain(Money.shown(costs.transport())));
    node.put("stt", plain(Money.shown(costs.stt())));
    node.put("llm", plain(Money.shown(costs.llm())));
    node.put("tts", plain(Money.shown(costs.tts())));
    node.put("vapi", plain(Money.shown(costs.vapi())));
    node.put("analysis", plain(Money.shown(costs.analysis())));
    return node;
  }

  private static void groups(ArrayNode array, String keyName, List<GroupUsage> groups) {
    for (GroupUsage group : groups) {
      ObjectNode entry = array.addObject();
      entry.put(keyName, group.key());
      figures(entry, group.figures());
    }
  }

  private static ObjectNode figures(ObjectNode node, Figures figures) {
    node.put("calls", figures.calls());
    node.put("minutes", plain(figures.minutesShown()));
    node.put("cost", plain(figures.costShown()));
    return node;
  }

  private static BigDecimal plain(BigDecimal shown) {
    return Money.normalize(shown);
  }

  private static String instant(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
