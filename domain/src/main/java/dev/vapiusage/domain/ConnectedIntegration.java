package dev.vapiusage.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An integration holding a sealed Vapi key. */
public record ConnectedIntegration(
    UserId userId,
    SealedKey key,
    KeyHint hint,
    Instant connectedSince,
    SyncState sync,
    Instant createdAt,
    Instant updatedAt)
    implements Integration {

  public ConnectedIntegration {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(hint, "hint");
    Objects.requireNonNull(connectedSince, "connectedSince");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public Optional<SealedKey> sealedKey() {
    return Optional.of(key);
  }

  @Override
  public Optional<KeyHint> keyHint() {
    return Optional.of(hint);
  }

  @Override
  public Optional<Instant> connectedAt() {
    return Optional.of(connectedSince);
  }

  @Override
  public ConnectedIntegration withSync(SyncState sync, Instant now) {
    return new ConnectedIntegration(userId, key, hint, connectedSince, sync, createdAt, now);
  }

  /** Forgets the key entirely; what was synced stays. */
  public DisconnectedIntegration disconnect(Instant now) {
    return new DisconnectedIntegration(userId, sync, createdAt, now);
  }
}
