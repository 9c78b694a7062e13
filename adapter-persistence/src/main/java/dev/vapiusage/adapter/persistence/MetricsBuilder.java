package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem.ModelKey;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.metrics.Figures;
import dev.vapiusage.domain.metrics.ModelFigures;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the grouped sums an aggregation query returns and builds the metrics object with {@link
 * UsageMetrics#assemble}. Adding partial sums is exact, so sums of sums equal the sum. Not
 * thread-safe; one builder serves one aggregation.
 */
final class MetricsBuilder {
  static final char ASSISTANT = 'A';
  static final char TYPE = 'T';
  static final char ENDED_REASON = 'R';

  private final DateRange range;
  private final List<LocalDate> dates;
  private final Map<LocalDate, Figures> daily = new HashMap<>();
  private final Map<String, Figures> byAssistant = new HashMap<>();
  private final Map<String, Figures> byType = new HashMap<>();
  private final Map<String, Figures> byEndedReason = new HashMap<>();
  private final Map<ModelKey, ModelFigures> byModel = new HashMap<>();
  private Figures totals = Figures.ZERO;
  private CostComponents breakdown = CostComponents.ZERO;

  MetricsBuilder(DateRange range) {
    this.range = range;
    this.dates = range.dates();
  }

  /**
   * Adds the sums of the calls created on the range's day {@code dayIndex} (0 = first day), read
   * from columns calls, duration_us, cost and the six cost_* components.
   */
  void addDay(int dayIndex, ResultSet rs) throws SQLException {
    Figures figures = figures(rs);
    if (figures.calls() == 0) {
      return;
    }
    daily.merge(dates.get(dayIndex), figures, Figures::plus);
    totals = totals.plus(figures);
    breakdown =
        breakdown.plus(
            new CostComponents(
                amount(rs, "cost_transport"),
                amount(rs, "cost_stt"),
                amount(rs, "cost_llm"),
                amount(rs, "cost_tts"),
                amount(rs, "cost_vapi"),
                amount(rs, "cost_analysis")));
  }

  /** Adds the sums of one value of a dimension, read from columns calls, duration_us and cost. */
  void addGroup(char dimension, String value, ResultSet rs) throws SQLException {
    Figures figures = figures(rs);
    if (figures.calls() == 0) {
      return;
    }
    switch (dimension) {
      case ASSISTANT:
        byAssistant.merge(value, figures, Figures::plus);
        break;
      case TYPE:
        byType.merge(value, figures, Figures::plus);
        break;
      case ENDED_REASON:
        byEndedReason.merge(value, figures, Figures::plus);
        break;
      default:
        throw new IllegalArgumentException("Unknown dimension " + dimension);
    }
  }

  /**
   * Adds the sums of one byModel group, read from columns provider, model_name, calls, cost,
   * prompt_tokens, completion_tokens, characters and minutes (the counts null when no item had
   * them).
   */
  void addModel(String component, ResultSet rs) throws SQLException {
    long calls = whole(rs, "calls");
    if (calls == 0) {
      return;
    }
    ModelKey key = new ModelKey(component, rs.getString("provider"), rs.getString("model_name"));
    ModelFigures figures =
        new ModelFigures(
            calls,
            amount(rs, "cost"),
            CostItemRows.whole(rs, "prompt_tokens"),
            CostItemRows.whole(rs, "completion_tokens"),
            CostItemRows.whole(rs, "characters"),
            rs.getBigDecimal("minutes"));
    byModel.merge(key, figures, ModelFigures::plus);
  }

  UsageMetrics build() {
    return UsageMetrics.assemble(
        range, totals, breakdown, daily, byAssistant, byType, byEndedReason, byModel);
  }

  private static Figures figures(ResultSet rs) throws SQLException {
    return new Figures(whole(rs, "calls"), whole(rs, "duration_us"), amount(rs, "cost"));
  }

  // SUM of BIGINT comes back as NUMERIC on PostgreSQL and as BIGINT or NUMERIC on H2.
  private static long whole(ResultSet rs, String column) throws SQLException {
    BigDecimal value = rs.getBigDecimal(column);
    return value == null ? 0 : value.longValueExact();
  }

  private static BigDecimal amount(ResultSet rs, String column) throws SQLException {
    BigDecimal value = rs.getBigDecimal(column);
    return value == null ? BigDecimal.ZERO : value;
  }
}
