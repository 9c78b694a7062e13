package dev.vapiusage.application;

import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.UsageRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard's metrics, computed from stored calls. Viewing syncs first when the last sync is
 * older than {@code staleAfter} (zero: views never sync and nothing counts as stale). A sync that
 * cannot run or fails does not hide what is stored: the view answers with the stored figures and
 * the integration status tells what went wrong.
 */
public final class GetDashboardUsage {
  private final IntegrationRepository integrations;
  private final UsageRepository usage;
  private final SyncUsage sync;
  private final Clock clock;
  private final Duration staleAfter;

  public GetDashboardUsage(
      IntegrationRepository integrations, UsageRepository usage, SyncUsage sync, Clock clock, Duration staleAfter) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.sync = Objects.requireNonNull(sync, "sync");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    if (staleAfter.isNegative()) {
      throw new IllegalArgumentException("staleAfter is not negative");
    }
  }

  public DashboardUsage usage(MetricsQuery query) {
    Optional<Integration> integration = integrations.find(query.userId());
    if (integration.isPresent() && integration.get().isConnected() && isStale(integration.get())) {
      try {
        sync.sync(SyncCommand.incremental(query.userId()));
      } catch (UsageException e) {
        // Recorded in the run history and the integration's last sync status.
      }
      integration = integrations.find(query.userId());
    }
    Instant lastSyncedAt = integration.flatMap(i -> i.sync().lastSyncedAt()).orElse(null);
    return new DashboardUsage(
        usage.aggregate(query.userId(), query.range()),
        lastSyncedAt,
        integration.map(this::isStale).orElse(false));
  }

  private boolean isStale(Integration integration) {
    if (staleAfter.isZero()) {
      return false;
    }
    return integration
        .sync()
        .lastSyncedAt()
        .map(at -> Duration.between(at, clock.instant()).compareTo(staleAfter) > 0)
        .orElse(true);
  }
}
