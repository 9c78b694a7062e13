package dev.vapiusage.application;

import java.time.Duration;
import java.util.Objects;

/**
 * How syncs run. {@code lookback} re-reads changes before the cursor, because a change can become
 * visible at Vapi after a later one; {@code lease} is how long a silent run keeps other runs of its
 * user out (a crashed process frees its users after it); {@code chunk} bounds how much of an
 * incremental window is stored before the cursor moves.
 */
public record SyncSettings(Duration lookback, Duration lease, Duration chunk) {
  public static final Duration MIN_LOOKBACK = Duration.ofMinutes(10);

  public static final SyncSettings DEFAULTS =
      new SyncSettings(MIN_LOOKBACK, Duration.ofMinutes(2), Duration.ofDays(1));

  public SyncSettings {
    Objects.requireNonNull(lookback, "lookback");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(chunk, "chunk");
    if (lookback.compareTo(MIN_LOOKBACK) < 0) {
      throw new IllegalArgumentException("The look-back window is at least 10 minutes");
    }
    if (lease.isNegative() || lease.isZero() || chunk.isNegative() || chunk.isZero()) {
      throw new IllegalArgumentException("lease and chunk are positive");
    }
  }
}
