package dev.vapiusage.domain.metrics;

import dev.vapiusage.domain.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The three usage figures of a group of calls, kept exact: how many calls, their total duration in
 * microseconds, and their total cost in USD.
 */
public record Figures(long calls, long durationMicros, BigDecimal cost) {
  public static final Figures ZERO = new Figures(0, 0, BigDecimal.ZERO);

  /** Minutes are shown rounded half-up to this many decimals. */
  public static final int MINUTES_SCALE = 4;

  private static final BigDecimal MICROS_PER_MINUTE = BigDecimal.valueOf(60_000_000L);

  public Figures {
    Objects.requireNonNull(cost, "cost");
    if (calls < 0) {
      throw new IllegalArgumentException("calls is not negative");
    }
    cost = Money.normalize(cost);
  }

  public Figures plus(Figures other) {
    return new Figures(
        calls + other.calls, durationMicros + other.durationMicros, cost.add(other.cost));
  }

  /** The exact duration in minutes, rounded half-up to 4 decimals. */
  public BigDecimal minutesShown() {
    return BigDecimal.valueOf(durationMicros)
        .divide(MICROS_PER_MINUTE, MINUTES_SCALE, RoundingMode.HALF_UP);
  }

  /** The exact cost rounded half-up to 6 decimals. */
  public BigDecimal costShown() {
    return Money.shown(cost);
  }
}
