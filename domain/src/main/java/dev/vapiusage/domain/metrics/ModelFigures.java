package dev.vapiusage.domain.metrics;

import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The sums of one {@code byModel} group: how many calls had such an item, their items' exact cost,
 * and the usage counts, each null when no item of the group carried it.
 */
public record ModelFigures(
    long calls,
    BigDecimal cost,
    Long promptTokens,
    Long completionTokens,
    Long characters,
    BigDecimal minutes) {

  public ModelFigures {
    Objects.requireNonNull(cost, "cost");
    if (calls < 0) {
      throw new IllegalArgumentException("calls is not negative");
    }
    cost = Money.normalize(cost);
    minutes = minutes == null ? null : Money.normalize(minutes);
  }

  /** One call's items of one group (a squad call may have several), counted as one call. */
  static ModelFigures ofItems(Iterable<CostItem> items) {
    ModelFigures sum = new ModelFigures(1, BigDecimal.ZERO, null, null, null, null);
    for (CostItem item : items) {
      sum =
          new ModelFigures(
              1,
              sum.cost.add(item.cost()),
              add(sum.promptTokens, item.promptTokens()),
              add(sum.completionTokens, item.completionTokens()),
              add(sum.characters, item.characters()),
              add(sum.minutes, item.minutes()));
    }
    return sum;
  }

  public ModelFigures plus(ModelFigures other) {
    return new ModelFigures(
        calls + other.calls,
        cost.add(other.cost),
        add(promptTokens, other.promptTokens),
        add(completionTokens, other.completionTokens),
        add(characters, other.characters),
        add(minutes, other.minutes));
  }

  /** Absent plus absent stays absent; absent plus a count is that count. */
  private static Long add(Long a, Long b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + b;
  }

  private static BigDecimal add(BigDecimal a, BigDecimal b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.add(b);
  }
}
