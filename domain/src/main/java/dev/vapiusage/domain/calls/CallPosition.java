package dev.vapiusage.domain.calls;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A place in the calls' list order ({@code createdAt} newest first, then {@code id} descending): a
 * page continues with the calls after it. Both fields never change for a stored call, so a position
 * stays valid while calls are stored.
 */
public record CallPosition(Instant createdAt, String id) {

  /** The list order: newest first, then id descending. */
  public static final Comparator<CallPosition> LIST_ORDER =
      Comparator.comparing(CallPosition::createdAt).thenComparing(CallPosition::id).reversed();

  public CallPosition {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(id, "id");
  }

  /** Whether a call at {@code other} comes after this position in the list order. */
  public boolean isBefore(CallPosition other) {
    return LIST_ORDER.compare(this, other) < 0;
  }
}
