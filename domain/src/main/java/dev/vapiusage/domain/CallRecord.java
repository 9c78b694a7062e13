package dev.vapiusage.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One Vapi call, reduced to what usage metrics need. Only {@code id}, {@code createdAt} and {@code
 * updatedAt} are always present; the other fields are null when Vapi did not send them. {@code
 * cost} is null for a call Vapi has not costed; {@code costs} and {@code costItems} are never null
 * ({@code costItems} is empty when Vapi sent no {@code costs[]}).
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
    CostComponents costs,
    List<CostItem> costItems) {

  /** A call's cost may still move until it has not changed at Vapi for this long. */
  public static final Duration SETTLING_TIME = Duration.ofMinutes(30);

  /** A call queued or in progress for longer than this counts as stuck. */
  public static final Duration STUCK_AFTER = Duration.ofHours(24);

  /** The statuses of a call that has not ended yet. */
  public static final List<String> UNFINISHED_STATUSES = List.of("queued", "in-progress");

  public CallRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (id.isBlank()) {
      throw new IllegalArgumentException("A call id is not blank");
    }
    cost = cost == null ? null : Money.normalize(cost);
    costs = costs == null ? CostComponents.ZERO : costs;
    costItems = costItems == null ? List.of() : List.copyOf(costItems);
  }

  /** A call without cost items, as the fields before {@code costs[]} describe it. */
  public CallRecord(
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
    this(
        id,
        orgId,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        type,
        status,
        endedReason,
        assistantId,
        cost,
        costs,
        List.of());
  }

  /** The same call with these cost items. */
  public CallRecord withCostItems(List<CostItem> items) {
    return new CallRecord(
        id,
        orgId,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        type,
        status,
        endedReason,
        assistantId,
        cost,
        costs,
        items);
  }

  /** The same call with this status. */
  public CallRecord withStatus(String newStatus) {
    return new CallRecord(
        id,
        orgId,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        type,
        newStatus,
        endedReason,
        assistantId,
        cost,
        costs,
        costItems);
  }

  /**
   * Whether the call's cost is settled: it has ended, has a cost, and has not changed at Vapi for
   * {@link #SETTLING_TIME}.
   */
  public boolean isFinal(Instant now) {
    return "ended".equals(status) && cost != null && !updatedAt.plus(SETTLING_TIME).isAfter(now);
  }

  /** Whether the call is queued or in progress since more than {@link #STUCK_AFTER}. */
  public boolean isStuck(Instant now) {
    return status != null
        && UNFINISHED_STATUSES.contains(status)
        && createdAt.plus(STUCK_AFTER).isBefore(now);
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
