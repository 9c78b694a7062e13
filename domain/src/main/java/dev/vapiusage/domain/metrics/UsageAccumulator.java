package dev.vapiusage.domain.metrics;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.DateRange;
import java.time.LocalDate;
import java.util.HashMap;
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

  public UsageAccumulator(DateRange range) {
    this.range = Objects.requireNonNull(range, "range");
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
    return true;
  }

  public void addAll(Iterable<CallRecord> calls) {
    for (CallRecord call : calls) {
      add(call);
    }
  }

  public UsageMetrics toMetrics() {
    return UsageMetrics.assemble(
        range, totals, breakdown, daily, byAssistant, byType, byEndedReason);
  }

  // HashMap.merge rejects neither a null key nor the first value, so null-keyed groups work.
  private static void mergeGroup(Map<String, Figures> groups, String key, Figures figures) {
    groups.merge(key, figures, Figures::plus);
  }
}
