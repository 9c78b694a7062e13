package dev.vapiusage.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Exact USD amounts: sums stay exact, and rounding happens only when a figure is shown. */
public final class Money {
  /** Costs are shown rounded half-up to this many decimals. */
  public static final int SHOWN_SCALE = 6;

  private Money() {}

  /** One canonical form per value, so {@code 1.0} and {@code 1.00} are equal. */
  public static BigDecimal normalize(BigDecimal amount) {
    if (amount == null || amount.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  public static BigDecimal shown(BigDecimal amount) {
    return amount.setScale(SHOWN_SCALE, RoundingMode.HALF_UP);
  }
}
