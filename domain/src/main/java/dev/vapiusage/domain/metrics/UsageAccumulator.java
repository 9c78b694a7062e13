package dev.vapiusage.domain.metrics;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.CostItem.ModelKey;
import dev.vapiusage.domain.DateRange;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contract's metric arithmetic in one place: feed it calls (in any order, in any number of
 * batches) and it sums those created in its range. Calls outside the range are ignored. Not
 * thread-safe; one accumulator serves one computation.
 */
public final class UsageAccumulator {
  private final DateRange range;
  private Figures totals = Figures.ZERO;
  private CostComponents breakdown = CostComponents.ZERO;
  private final Map<LocalDate, Figures> daily = new HashMap<>();
  private final Map<String, Figures> byAssistant = new HashMap<>();
  private final Map<String, Figures> byType = new HashMap<>();
  private final Map<String, Figures> byEndedReason = new HashMap<>();
  private final Map<ModelKey, ModelFigures> byModel = new HashMap<>();
  private final Instant now;
  private long stuckCalls;

  /**
   * Sums the range's calls without judging any stuck: for sums whose {@code stuckCalls} is counted
   * elsewhere (a repository counts them apart from its sums).
   */
  public UsageAccumulator(DateRange range) {
    this(range, Instant.MIN);
  }

  /** Sums the range's calls; calls are judged stuck as of {@code now}. */
  public UsageAccumulator(DateRange range, Instant now) {
    this.range = Objects.requireNonNull(range, "range");
    this.now = Objects.requireNonNull(now, "now");
  }

  /** Adds one call; returns whether it belongs to the range. */
  public boolean add(CallRecord call) {
    if (!range.contains(call.createdAt())) {
      return false;
    }
    Figures figures = new Figures(1, call.durationMicros().orElse(0), call.costOrZero());
    totals = totals.plus(figures);
    breakdown = breakdown.plus(call.costs());
    daily.merge(range.dateOf(call.createdAt()), figures, Figures::plus);
    mergeGroup(byAssistant, call.assistantId(), figures);
    mergeGroup(byType, call.type(), figures);
    mergeGroup(byEndedReason, call.endedReason(), figures);
    addModels(call.costItems());
    if (call.isStuck(now)) {
      stuckCalls++;
    }
    return true;
  }

  public void addAll(Iterable<CallRecord> calls) {
    for (CallRecord call : calls) {
      add(call);
    }
  }

  public UsageMetrics toMetrics() {
    return UsageMetrics.assemble(
            range, totals, breakdown, daily, byAssistant, byType, byEndedReason, byModel)
        .withStuckCalls(stuckCalls);
  }

  private void addModels(List<CostItem> items) {
    Map<ModelKey, List<CostItem>> ofThisCall = new LinkedHashMap<>();
    for (CostItem item : items) {
      item.modelKey()
          .ifPresent(key -> ofThisCall.computeIfAbsent(key, k -> new ArrayList<>()).add(item));
    }
    ofThisCall.forEach(
        (key, same) -> byModel.merge(key, ModelFigures.ofItems(same), ModelFigures::plus));
  }

  // HashMap.merge rejects neither a null key nor the first value, so null-keyed groups work.
  private static void mergeGroup(Map<String, Figures> groups, String key, Figures figures) {
    groups.merge(key, figures, Figures::plus);
  }
}
