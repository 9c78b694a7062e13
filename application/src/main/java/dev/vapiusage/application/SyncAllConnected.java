package dev.vapiusage.application;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import java.util.Objects;

/**
 * One round of the background sync: an incremental sync of every connected user. A user whose key
 * Vapi rejected waits for a new key; a user another run (maybe in another process) is syncing is
 * left to that run; one user's failure never stops the round.
 */
public final class SyncAllConnected {
  private final IntegrationRepository integrations;
  private final SyncUsage sync;

  public SyncAllConnected(IntegrationRepository integrations, SyncUsage sync) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.sync = Objects.requireNonNull(sync, "sync");
  }

  /** The counts of one round. */
  public record Round(int synced, int skipped, int failed) {}

  public Round syncAll() {
    int synced = 0;
    int skipped = 0;
    int failed = 0;
    for (UserId userId : integrations.connectedUsers()) {
      boolean waitsForNewKey =
          integrations.find(userId).map(Integration::sync).map(s -> s.needsNewKey()).orElse(true);
      if (waitsForNewKey) {
        skipped++;
        continue;
      }
      try {
        sync.sync(SyncCommand.incremental(userId));
        synced++;
      } catch (UsageException e) {
        if (e.code() == ErrorCode.SYNC_IN_PROGRESS || e.code() == ErrorCode.NOT_CONNECTED) {
          skipped++;
        } else {
          failed++;
        }
      }
    }
    return new Round(synced, skipped, failed);
  }
}
