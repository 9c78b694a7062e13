package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.vapiusage.application.CallPage;
import dev.vapiusage.application.CallView;
import dev.vapiusage.application.DashboardUsage;
import dev.vapiusage.application.IntegrationStatus;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.Money;
import dev.vapiusage.domain.metrics.DailyUsage;
import dev.vapiusage.domain.metrics.Figures;
import dev.vapiusage.domain.metrics.GroupUsage;
import dev.vapiusage.domain.metrics.ModelFigures;
import dev.vapiusage.domain.metrics.ModelUsage;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The contract's JSON shapes as records, one per object, written in their components' order and
 * made from the use cases' results. Rounding happens only here, on the exact sums; trailing zeros
 * are dropped so {@code 10.5000} shows as {@code 10.5}, and {@link Json} writes every amount
 * without an exponent.
 */
final class Views {
  private Views() {}

  /**
   * The status object; {@code webhookUrl} is null while not connected, {@code syncProgress} appears
   * only while a sync runs.
   */
  record Status(
      boolean connected,
      String keyHint,
      String connectedAt,
      String lastSyncedAt,
      String lastSyncStatus,
      String lastSyncError,
      String webhookUrl,
      @JsonInclude(JsonInclude.Include.NON_NULL) SyncProgress syncProgress) {

    static Status of(IntegrationStatus status, String webhookUrl) {
      return new Status(
          status.connected(),
          status.keyHint(),
          instant(status.connectedAt()),
          instant(status.lastSyncedAt()),
          status.lastSyncStatus() == null ? null : status.lastSyncStatus().code(),
          status.lastSyncError() == null ? null : status.lastSyncError().code(),
          webhookUrl,
          status.syncProgress() == null ? null : new SyncProgress(status.syncProgress()));
    }
  }

  /** A new webhook secret, shown this once. */
  record WebhookSecret(String secret) {
    @Override
    public String toString() {
      return "WebhookSecret[…]";
    }
  }

  /** How far the running sync has got. */
  record SyncProgress(long syncedCalls) {}

  /**
   * The sync result object: a sync that answers is always a completed one (a failed one throws).
   */
  record Sync(
      String status, long syncedCalls, String startDate, String endDate, String lastSyncedAt) {

    static Sync of(SyncResult result) {
      return new Sync(
          "completed",
          result.syncedCalls(),
          result.startDate().toString(),
          result.endDate().toString(),
          instant(result.lastSyncedAt()));
    }
  }

  /** The metrics object. */
  record Metrics(
      String startDate,
      String endDate,
      String timezone,
      String currency,
      Totals totals,
      CostBreakdown costBreakdown,
      List<Day> daily,
      List<ByAssistant> byAssistant,
      List<ByType> byType,
      List<ByEndedReason> byEndedReason,
      List<ByModel> byModel,
      long stuckCalls) {

    static Metrics of(UsageMetrics metrics) {
      return new Metrics(
          metrics.range().start().toString(),
          metrics.range().end().toString(),
          metrics.range().zone().getId(),
          metrics.currency(),
          Totals.of(metrics.totals()),
          CostBreakdown.of(metrics.costBreakdown()),
          each(metrics.daily(), Day::of),
          each(metrics.byAssistant(), ByAssistant::of),
          each(metrics.byType(), ByType::of),
          each(metrics.byEndedReason(), ByEndedReason::of),
          each(metrics.byModel(), ByModel::of),
          metrics.stuckCalls());
    }
  }

  /** The dashboard's usage: the metrics object and, after its fields, these two. */
  record Usage(@JsonUnwrapped Metrics metrics, String lastSyncedAt, boolean stale) {

    static Usage of(DashboardUsage usage) {
      return new Usage(Metrics.of(usage.metrics()), instant(usage.lastSyncedAt()), usage.stale());
    }
  }

  /** The three figures of the whole range. */
  record Totals(long calls, BigDecimal minutes, BigDecimal cost) {
    static Totals of(Figures figures) {
      return new Totals(figures.calls(), minutesShown(figures), costShown(figures));
    }
  }

  /** The cost by component. */
  record CostBreakdown(
      BigDecimal transport,
      BigDecimal stt,
      BigDecimal llm,
      BigDecimal tts,
      BigDecimal vapi,
      BigDecimal analysis) {

    static CostBreakdown of(CostComponents costs) {
      return new CostBreakdown(
          shown(costs.transport()),
          shown(costs.stt()),
          shown(costs.llm()),
          shown(costs.tts()),
          shown(costs.vapi()),
          shown(costs.analysis()));
    }

    /** One call's components exactly as stored: a call's amounts are Vapi's, not sums. */
    static CostBreakdown exact(CostComponents costs) {
      return new CostBreakdown(
          costs.transport(), costs.stt(), costs.llm(), costs.tts(), costs.vapi(), costs.analysis());
    }
  }

  /** One entry of {@code daily}. */
  record Day(String date, long calls, BigDecimal minutes, BigDecimal cost) {
    static Day of(DailyUsage day) {
      Figures figures = day.figures();
      return new Day(
          day.date().toString(), figures.calls(), minutesShown(figures), costShown(figures));
    }
  }

  /**
   * One entry of {@code byAssistant}; the id is null for calls without an assistant, the name for
   * an assistant unknown or deleted.
   */
  record ByAssistant(
      String assistantId, String assistantName, long calls, BigDecimal minutes, BigDecimal cost) {
    static ByAssistant of(GroupUsage group) {
      Figures figures = group.figures();
      return new ByAssistant(
          group.key(), group.name(), figures.calls(), minutesShown(figures), costShown(figures));
    }
  }

  /** One entry of {@code byType}. */
  record ByType(String type, long calls, BigDecimal minutes, BigDecimal cost) {
    static ByType of(GroupUsage group) {
      Figures figures = group.figures();
      return new ByType(group.key(), figures.calls(), minutesShown(figures), costShown(figures));
    }
  }

  /** One entry of {@code byEndedReason}. */
  record ByEndedReason(String endedReason, long calls, BigDecimal minutes, BigDecimal cost) {
    static ByEndedReason of(GroupUsage group) {
      Figures figures = group.figures();
      return new ByEndedReason(
          group.key(), figures.calls(), minutesShown(figures), costShown(figures));
    }
  }

  /**
   * One entry of {@code byModel}; a usage count appears only when some item of the group carried
   * it.
   */
  record ByModel(
      String component,
      String provider,
      String model,
      long calls,
      BigDecimal cost,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long promptTokens,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long completionTokens,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long characters,
      @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal minutes) {

    static ByModel of(ModelUsage usage) {
      ModelFigures figures = usage.figures();
      return new ByModel(
          usage.key().component(),
          usage.key().provider(),
          usage.key().model(),
          figures.calls(),
          shown(figures.cost()),
          figures.promptTokens(),
          figures.completionTokens(),
          figures.characters(),
          figures.minutes() == null ? null : minutesShown(figures.minutes()));
    }
  }

  /**
   * A call as the list and the NDJSON export show it: {@code minutes} rounded like every minutes
   * figure, {@code cost} exactly as Vapi sent it.
   */
  record Call(
      String id,
      String createdAt,
      String startedAt,
      String endedAt,
      String type,
      String status,
      String endedReason,
      String assistantId,
      String assistantName,
      BigDecimal minutes,
      BigDecimal cost,
      @JsonProperty("final") boolean isFinal) {

    static Call of(CallView view) {
      CallRecord call = view.call();
      return new Call(
          call.id(),
          instant(call.createdAt()),
          instant(call.startedAt()),
          instant(call.endedAt()),
          call.type(),
          call.status(),
          call.endedReason(),
          call.assistantId(),
          view.assistantName(),
          minutesOf(call),
          call.cost(),
          view.isFinal());
    }
  }

  /** A page of the calls list. */
  record CallList(List<Call> calls, String nextCursor) {
    static CallList of(CallPage page) {
      return new CallList(each(page.calls(), Call::of), page.nextCursor().orElse(null));
    }
  }

  /** One call: the list's fields, then when it last changed, its exact costs and Vapi's items. */
  record CallDetail(
      @JsonUnwrapped Call call, String updatedAt, CostBreakdown costBreakdown, List<Cost> costs) {

    static CallDetail of(CallView view) {
      CallRecord call = view.call();
      return new CallDetail(
          Call.of(view),
          instant(call.updatedAt()),
          CostBreakdown.exact(call.costs()),
          each(call.costItems(), Cost::of));
    }
  }

  /** One of Vapi's cost items of a call, exact, with only the fields Vapi gave. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Cost(
      String type,
      BigDecimal cost,
      String provider,
      String model,
      String voiceId,
      BigDecimal minutes,
      Long characters,
      Long promptTokens,
      Long completionTokens) {

    static Cost of(CostItem item) {
      return new Cost(
          item.type(),
          item.cost(),
          item.provider(),
          item.model(),
          item.voiceId(),
          item.minutes(),
          item.characters(),
          item.promptTokens(),
          item.completionTokens());
    }
  }

  /** A call's minutes rounded as shown, or null without both its start and its end. */
  static BigDecimal minutesOf(CallRecord call) {
    OptionalLong micros = call.durationMicros();
    return micros.isPresent()
        ? minutesShown(new Figures(1, micros.getAsLong(), BigDecimal.ZERO))
        : null;
  }

  private static BigDecimal minutesShown(BigDecimal minutes) {
    return Money.normalize(minutes.setScale(Figures.MINUTES_SCALE, RoundingMode.HALF_UP));
  }

  private static BigDecimal minutesShown(Figures figures) {
    return Money.normalize(figures.minutesShown());
  }

  private static BigDecimal costShown(Figures figures) {
    return Money.normalize(figures.costShown());
  }

  private static BigDecimal shown(BigDecimal amount) {
    return Money.normalize(Money.shown(amount));
  }

  private static <T, R> List<R> each(List<T> items, Function<T, R> view) {
    return items.stream().map(view).toList();
  }

  static String instant(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
