package dev.vapiusage.application;

import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.MetricsSource;
import java.time.Clock;
import java.util.Objects;

/**
 * Connects a Vapi account: the key is verified against Vapi first, and only an accepted key is
 * sealed and stored. A rejected key leaves any existing connection exactly as it was.
 */
public final class ConnectVapi {
  private final IntegrationRepository integrations;
  private final KeyVault vault;
  private final MetricsSource vapi;
  private final Clock clock;

  public ConnectVapi(
      IntegrationRepository integrations, KeyVault vault, MetricsSource vapi, Clock clock) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.vapi = Objects.requireNonNull(vapi, "vapi");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public IntegrationStatus connect(ConnectCommand command) {
    vapi.verify(command.apiKey());
    SealedKey sealed = vault.seal(command.userId(), command.apiKey());
    ConnectedIntegration connected =
        Integration.connect(
            integrations.find(command.userId()),
            command.userId(),
            sealed,
            command.apiKey().hint(),
            clock.instant());
    integrations.save(connected);
    return IntegrationStatus.of(connected);
  }
}
