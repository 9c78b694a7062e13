package dev.vapiusage.application;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.AssistantDirectory;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.sync.CallWindow;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes a range's metrics straight from Vapi, storing nothing. Calls stream through the same
 * accumulator the stored path is tested against, so memory stays flat for any range. The
 * assistants' names are read live too.
 */
public final class FetchLiveMetrics {
  private final IntegrationRepository integrations;
  private final KeyVault vault;
  private final MetricsSource vapi;
  private final AssistantDirectory directory;
  private final Clock clock;

  /** Without names: {@code byAssistant} carries ids only. */
  public FetchLiveMetrics(IntegrationRepository integrations, KeyVault vault, MetricsSource vapi) {
    this(integrations, vault, vapi, key -> List.of(), Clock.systemUTC());
  }

  public FetchLiveMetrics(
      IntegrationRepository integrations,
      KeyVault vault,
      MetricsSource vapi,
      AssistantDirectory directory,
      Clock clock) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.vapi = Objects.requireNonNull(vapi, "vapi");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public UsageMetrics fetch(MetricsQuery query) {
    ConnectedIntegration connected = ConnectedKey.requireConnected(integrations, query.userId());
    UsageAccumulator accumulator = new UsageAccumulator(query.range(), clock.instant());
    ApiKey key = ConnectedKey.open(vault, connected);
    vapi.stream(
        key,
        CallWindow.created(query.range().startInstant(), query.range().endExclusive()),
        accumulator::addAll);
    UsageMetrics metrics = accumulator.toMetrics();
    if (metrics.byAssistant().stream().allMatch(group -> group.key() == null)) {
      return metrics;
    }
    Map<String, String> names = new HashMap<>();
    for (Assistant assistant : directory.assistants(key)) {
      if (assistant.name() != null) {
        names.put(assistant.id(), assistant.name());
      }
    }
    return metrics.withAssistantNames(names);
  }
}
