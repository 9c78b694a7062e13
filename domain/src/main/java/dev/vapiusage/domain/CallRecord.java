package dev.vapiusage.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One Vapi call, reduced to what usage metrics need. Only {@code id}, {@code createdAt} and {@code
 * updatedAt} are always present; the other fields are null when Vapi did not send them. {@code
 * cost} is null for a call Vapi has not costed; {@code costs} is never null.
 */
public record CallRecord(
    String id,
    String orgId,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant endedAt,
    String type,
    String status,
    String endedReason,
    String assistantId,
    BigDecimal cost,
    CostComponents costs) {

  public CallRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (id.isBlank()) {
      throw new IllegalArgumentException("A call id is not blank");
    }
    cost = cost == null ? null : Money.normalize(cost);
    costs = costs == null ? CostComponents.ZERO : costs;
  }

  /**
   * {@code endedAt − startedAt} in microseconds (the finest unit both databases keep), present only
   * when the call has both.
   */
  public OptionalLong durationMicros() {
    if (startedAt == null || endedAt == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(ChronoUnit.MICROS.between(startedAt, endedAt));
  }

  /** The cost as it counts in sums: an uncosted call adds zero. */
  public BigDecimal costOrZero() {
    return cost == null ? BigDecimal.ZERO : cost;
  }
}
