package dev.vapiusage.domain.metrics;

import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.DateRange;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contract's metrics object for one date range: totals, cost by component, one entry per date
 * (zeros included) and the breakdowns by assistant, call type and ended reason, each sorted by
 * cost, highest first. All figures are exact; rounding is the presenter's job.
 */
public record UsageMetrics(
    DateRange range,
    String currency,
    Figures totals,
    CostComponents costBreakdown,
    List<DailyUsage> daily,
    List<GroupUsage> byAssistant,
    List<GroupUsage> byType,
    List<GroupUsage> byEndedReason) {

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
  }

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
      Map<String, Figures> byEndedReason) {
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
        sorted(byEndedReason));
  }

  /** The metrics of a range in which nothing is stored. */
  public static UsageMetrics empty(DateRange range) {
    return assemble(
        range, Figures.ZERO, CostComponents.ZERO, Map.of(), Map.of(), Map.of(), Map.of());
  }

  private static List<GroupUsage> sorted(Map<String, Figures> groups) {
    List<GroupUsage> list = new ArrayList<>(groups.size());
    groups.forEach((key, figures) -> list.add(new GroupUsage(key, figures)));
    list.sort(BY_COST_DESCENDING);
    return list;
  }
}
