package dev.vapiusage.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A user's Vapi integration, in one of its two states: connected (it holds a sealed key) or
 * disconnected (it holds none). Synced usage outlives the connection.
 */
public sealed interface Integration permits ConnectedIntegration, DisconnectedIntegration {

  UserId userId();

  SyncState sync();

  Instant createdAt();

  Instant updatedAt();

  boolean isConnected();

  /** The sealed key, present only while connected. */
  Optional<SealedKey> sealedKey();

  Optional<KeyHint> keyHint();

  Optional<Instant> connectedAt();

  Integration withSync(SyncState sync, Instant now);

  /** Connects (or replaces the key of) an integration that may not exist yet. */
  static ConnectedIntegration connect(
      Optional<Integration> existing,
      UserId userId,
      SealedKey sealedKey,
      KeyHint hint,
      Instant now) {
    Instant createdAt = existing.map(Integration::createdAt).orElse(now);
    // A new key starts a new connection: a rejected-key failure of the old key no longer applies.
    SyncState sync = existing.map(Integration::sync).orElse(SyncState.never());
    if (sync.needsNewKey()) {
      sync = SyncState.restore(sync.lastSyncedAt().orElse(null), null, null);
    }
    return new ConnectedIntegration(userId, sealedKey, hint, now, sync, createdAt, now);
  }
}
