package dev.vapiusage.application;

import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.sync.CallWindow;
import java.util.Objects;

/**
 * Computes a range's metrics straight from Vapi, storing nothing. Calls stream through the same
 * accumulator the stored path is tested against, so memory stays flat for any range.
 */
public final class FetchLiveMetrics {
  private final IntegrationRepository integrations;
  private final KeyVault vault;
  private final MetricsSource vapi;

  public FetchLiveMetrics(IntegrationRepository integrations, KeyVault vault, MetricsSource vapi) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.vapi = Objects.requireNonNull(vapi, "vapi");
  }

  public UsageMetrics fetch(MetricsQuery query) {
    ConnectedIntegration connected = ConnectedKey.requireConnected(integrations, query.userId());
    UsageAccumulator accumulator = new UsageAccumulator(query.range());
    vapi.stream(
        ConnectedKey.open(vault, connected),
        CallWindow.created(query.range().startInstant(), query.range().endExclusive()),
        accumulator::addAll);
    return accumulator.toMetrics();
  }
}
