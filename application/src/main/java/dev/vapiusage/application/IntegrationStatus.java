package dev.vapiusage.application;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.KeyHint;
import dev.vapiusage.domain.SyncState;
import dev.vapiusage.domain.SyncStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * What a user may see of its integration: never the key, only its hint. Absent parts are null, as
 * the contract's status object shows them. {@code syncProgress} is the number of calls the running
 * sync has stored so far, present only while a sync runs.
 */
public record IntegrationStatus(
    boolean connected,
    String keyHint,
    Instant connectedAt,
    Instant lastSyncedAt,
    SyncStatus lastSyncStatus,
    ErrorCode lastSyncError,
    Long syncProgress) {

  public static final IntegrationStatus NEVER_CONNECTED =
      new IntegrationStatus(false, null, null, null, null, null, null);

  public static IntegrationStatus of(Optional<Integration> integration) {
    return integration.map(IntegrationStatus::of).orElse(NEVER_CONNECTED);
  }

  public static IntegrationStatus of(Integration integration) {
    SyncState sync = integration.sync();
    return new IntegrationStatus(
        integration.isConnected(),
        integration.keyHint().map(KeyHint::value).orElse(null),
        integration.connectedAt().orElse(null),
        sync.lastSyncedAt().orElse(null),
        sync.lastStatus().orElse(null),
        sync.lastError().orElse(null),
        null);
  }

  /** The same status with the running sync's progress. */
  public IntegrationStatus withSyncProgress(long callsStored) {
    return new IntegrationStatus(
        connected, keyHint, connectedAt, lastSyncedAt, lastSyncStatus, lastSyncError, callsStored);
  }
}
