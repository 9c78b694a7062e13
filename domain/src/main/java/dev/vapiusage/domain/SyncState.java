package dev.vapiusage.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an integration remembers of its syncs: when the latest completed one finished, and the
 * outcome of the latest one started. The error is present exactly when the status is failed.
 */
public final class SyncState {
  private static final SyncState NEVER = new SyncState(null, null, null);

  private final Instant lastSyncedAt;
  private final SyncStatus lastStatus;
  private final ErrorCode lastError;

  private SyncState(Instant lastSyncedAt, SyncStatus lastStatus, ErrorCode lastError) {
    if ((lastStatus == SyncStatus.FAILED) != (lastError != null)) {
      throw new IllegalArgumentException("A sync error is kept exactly when the sync failed");
    }
    this.lastSyncedAt = lastSyncedAt;
    this.lastStatus = lastStatus;
    this.lastError = lastError;
  }

  public static SyncState never() {
    return NEVER;
  }

  /** Rebuilds a state read back from storage; any part may be absent. */
  public static SyncState restore(
      Instant lastSyncedAt, SyncStatus lastStatus, ErrorCode lastError) {
    return new SyncState(lastSyncedAt, lastStatus, lastError);
  }

  public SyncState running() {
    return new SyncState(lastSyncedAt, SyncStatus.RUNNING, null);
  }

  public SyncState completed(Instant finishedAt) {
    Objects.requireNonNull(finishedAt, "finishedAt");
    return new SyncState(finishedAt, SyncStatus.COMPLETED, null);
  }

  public SyncState failed(ErrorCode error) {
    Objects.requireNonNull(error, "error");
    return new SyncState(lastSyncedAt, SyncStatus.FAILED, error);
  }

  public Optional<Instant> lastSyncedAt() {
    return Optional.ofNullable(lastSyncedAt);
  }

  public Optional<SyncStatus> lastStatus() {
    return Optional.ofNullable(lastStatus);
  }

  public Optional<ErrorCode> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** A rejected key stops background syncs until the user connects a new one. */
  public boolean needsNewKey() {
    return lastError == ErrorCode.INVALID_API_KEY;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof SyncState)) {
      return false;
    }
    SyncState that = (SyncState) other;
    return Objects.equals(lastSyncedAt, that.lastSyncedAt)
        && lastStatus == that.lastStatus
        && lastError == that.lastError;
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastSyncedAt, lastStatus, lastError);
  }

  @Override
  public String toString() {
    return "SyncState[lastSyncedAt="
        + lastSyncedAt
        + ", status="
        + lastStatus
        + ", error="
        + lastError
        + "]";
  }
}
