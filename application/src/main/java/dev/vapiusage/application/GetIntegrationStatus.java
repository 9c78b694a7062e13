package dev.vapiusage.application;

import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.SyncRuns;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a user's integration status and, while a sync runs (in any process), how many calls it has
 * stored so far.
 */
public final class GetIntegrationStatus {
  private final IntegrationRepository integrations;
  private final SyncRuns runs;

  /** Without the run log: the status never shows a running sync's progress. */
  public GetIntegrationStatus(IntegrationRepository integrations) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.runs = null;
  }

  public GetIntegrationStatus(IntegrationRepository integrations, SyncRuns runs) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.runs = Objects.requireNonNull(runs, "runs");
  }

  public IntegrationStatus status(UserId userId) {
    IntegrationStatus status = IntegrationStatus.of(integrations.find(userId));
    if (runs == null || status.lastSyncStatus() != SyncStatus.RUNNING) {
      return status;
    }
    Optional<SyncRunRecord> latest = runs.history(userId, 1).stream().findFirst();
    return latest
        .filter(run -> run.finished().isEmpty())
        .map(run -> status.withSyncProgress(run.callsSeenSoFar()))
        .orElse(status);
  }
}
