package dev.vapiusage.domain.port;

import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.SyncState;
import dev.vapiusage.domain.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores one integration per user. Implementations are thread-safe. */
public interface IntegrationRepository {

  Optional<Integration> find(UserId userId);

  /** Inserts or replaces the user's integration; a disconnected one keeps no key. */
  void save(Integration integration);

  /**
   * Replaces only the sync state of the user's integration, leaving its key as it is now, so a sync
   * that ends never undoes a connect or disconnect made while it ran. Does nothing when the user
   * has no integration.
   */
  void saveSync(UserId userId, SyncState sync, Instant now);

  /** Users whose integration is connected, for the background sync. */
  List<UserId> connectedUsers();
}
