package dev.vapiusage.domain.metrics;

import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem.ModelKey;
import dev.vapiusage.domain.DateRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contract's metrics object for one date range: totals, cost by component, one entry per date
 * (zeros included), the breakdowns by assistant, call type, ended reason and model, each sorted by
 * cost, highest first, and the number of stuck calls. All figures are exact; rounding is the
 * presenter's job.
 */
public record UsageMetrics(
    DateRange range,
    String currency,
    Figures totals,
    CostComponents costBreakdown,
    List<DailyUsage> daily,
    List<GroupUsage> byAssistant,
    List<GroupUsage> byType,
    List<GroupUsage> byEndedReason,
    List<ModelUsage> byModel,
    long stuckCalls) {

  public static final String CURRENCY = "USD";

  /** Cost first (the contract's order), then calls, then the key, so the order is stable. */
  private static final Comparator<GroupUsage> BY_COST_DESCENDING =
      Comparator.comparing((GroupUsage g) -> g.figures().cost(), Comparator.reverseOrder())
          .thenComparing(g -> g.figures().calls(), Comparator.reverseOrder())
          .thenComparing(GroupUsage::key, Comparator.nullsLast(Comparator.naturalOrder()));

  public UsageMetrics {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(totals, "totals");
    Objects.requireNonNull(costBreakdown, "costBreakdown");
    daily = List.copyOf(daily);
    byAssistant = List.copyOf(byAssistant);
    byType = List.copyOf(byType);
    byEndedReason = List.copyOf(byEndedReason);
    byModel = List.copyOf(byModel);
    if (stuckCalls < 0) {
      throw new IllegalArgumentException("stuckCalls is not negative");
    }
  }

  private static final Comparator<ModelUsage> MODELS_BY_COST_DESCENDING =
      Comparator.comparing((ModelUsage m) -> m.figures().cost(), Comparator.reverseOrder())
          .thenComparing(m -> m.figures().calls(), Comparator.reverseOrder())
          .thenComparing(m -> m.key().component())
          .thenComparing(m -> m.key().provider(), Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(m -> m.key().model(), Comparator.nullsLast(Comparator.naturalOrder()));

  /**
   * Builds the object from grouped sums, whoever computed them (Java or SQL): fills the dates
   * without calls with zeros and sorts the breakdowns. Group maps may hold a null key.
   */
  public static UsageMetrics assemble(
      DateRange range,
      Figures totals,
      CostComponents costBreakdown,
      Map<LocalDate, Figures> daily,
      Map<String, Figures> byAssistant,
      Map<String, Figures> byType,
      Map<String, Figures> byEndedReason,
      Map<ModelKey, ModelFigures> byModel) {
    List<DailyUsage> days = new ArrayList<>(range.dayCount());
    for (LocalDate date : range.dates()) {
      days.add(new DailyUsage(date, daily.getOrDefault(date, Figures.ZERO)));
    }
    return new UsageMetrics(
        range,
        CURRENCY,
        totals,
        costBreakdown,
        days,
        sorted(byAssistant),
        sorted(byType),
        sorted(byEndedReason),
        sortedModels(byModel),
        0);
  }

  /** The same metrics with this number of stuck calls. */
  public UsageMetrics withStuckCalls(long count) {
    return new UsageMetrics(
        range,
        currency,
        totals,
        costBreakdown,
        daily,
        byAssistant,
        byType,
        byEndedReason,
        byModel,
        count);
  }

  /**
   * The same metrics with the assistants' names in {@code byAssistant}, from a map of assistant id
   * to name; ids it does not hold get no name.
   */
  public UsageMetrics withAssistantNames(Map<String, String> names) {
    List<GroupUsage> named = new ArrayList<>(byAssistant.size());
    for (GroupUsage group : byAssistant) {
      String name = group.key() == null ? null : names.get(group.key());
      named.add(new GroupUsage(group.key(), name, group.figures()));
    }
    return new UsageMetrics(
        range,
        currency,
        totals,
        costBreakdown,
        daily,
        named,
        byType,
        byEndedReason,
        byModel,
        stuckCalls);
  }

  /** The metrics of a range in which nothing is stored. */
  public static UsageMetrics empty(DateRange range) {
    return assemble(
        range, Figures.ZERO, CostComponents.ZERO, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  private static List<GroupUsage> sorted(Map<String, Figures> groups) {
    List<GroupUsage> list = new ArrayList<>(groups.size());
    groups.forEach((key, figures) -> list.add(new GroupUsage(key, figures)));
    list.sort(BY_COST_DESCENDING);
    return list;
  }

  private static List<ModelUsage> sortedModels(Map<ModelKey, ModelFigures> groups) {
    List<ModelUsage> list = new ArrayList<>(groups.size());
    groups.forEach((key, figures) -> list.add(new ModelUsage(key, figures)));
    list.sort(MODELS_BY_COST_DESCENDING);
    return list;
  }
}
