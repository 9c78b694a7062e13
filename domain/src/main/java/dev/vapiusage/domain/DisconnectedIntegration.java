package dev.vapiusage.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** An integration without a key: never connected, or disconnected by its user. */
public record DisconnectedIntegration(
    UserId userId, SyncState sync, Instant createdAt, Instant updatedAt) implements Integration {

  public DisconnectedIntegration {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  @Override
  public boolean isConnected() {
    return false;
  }

  @Override
  public Optional<SealedKey> sealedKey() {
    return Optional.empty();
  }

  @Override
  public Optional<KeyHint> keyHint() {
    return Optional.empty();
  }

  @Override
  public Optional<Instant> connectedAt() {
    return Optional.empty();
  }

  @Override
  public DisconnectedIntegration withSync(SyncState sync, Instant now) {
    return new DisconnectedIntegration(userId, sync, createdAt, now);
  }
}
