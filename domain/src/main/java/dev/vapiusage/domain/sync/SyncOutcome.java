package dev.vapiusage.domain.sync;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import java.util.Objects;

/**
 * How a run ended: calls received from Vapi and stored, calls whose stored row changed, and the
 * error code when it failed.
 */
public record SyncOutcome(SyncStatus status, long callsSeen, long callsChanged, ErrorCode error) {
  public SyncOutcome {
    Objects.requireNonNull(status, "status");
    if (status == SyncStatus.RUNNING) {
      throw new IllegalArgumentException("An outcome is completed or failed");
    }
    if ((status == SyncStatus.FAILED) != (error != null)) {
      throw new IllegalArgumentException("An outcome has an error exactly when it failed");
    }
  }

  public static SyncOutcome completed(long callsSeen, long callsChanged) {
    return new SyncOutcome(SyncStatus.COMPLETED, callsSeen, callsChanged, null);
  }

  public static SyncOutcome failed(long callsSeen, long callsChanged, ErrorCode error) {
    return new SyncOutcome(SyncStatus.FAILED, callsSeen, callsChanged, error);
  }
}
