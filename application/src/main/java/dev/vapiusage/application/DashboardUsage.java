package dev.vapiusage.application;

import dev.vapiusage.domain.metrics.UsageMetrics;
import java.time.Instant;
import java.util.Objects;

/**
 * Stored metrics for the dashboard, with when they were last synced and whether that is too long
 * ago.
 */
public record DashboardUsage(UsageMetrics metrics, Instant lastSyncedAt, boolean stale) {
  public DashboardUsage {
    Objects.requireNonNull(metrics, "metrics");
  }
}
