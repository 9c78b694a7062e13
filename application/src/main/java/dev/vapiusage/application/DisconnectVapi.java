package dev.vapiusage.application;

import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** Disconnects a Vapi account: the sealed key is deleted, synced usage is kept. Idempotent. */
public final class DisconnectVapi {
  private final IntegrationRepository integrations;
  private final Clock clock;

  public DisconnectVapi(IntegrationRepository integrations, Clock clock) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public IntegrationStatus disconnect(UserId userId) {
    Optional<Integration> current = integrations.find(userId);
    if (current.isPresent() && current.get() instanceof ConnectedIntegration) {
      Integration disconnected = ((ConnectedIntegration) current.get()).disconnect(clock.instant());
      integrations.save(disconnected);
      return IntegrationStatus.of(disconnected);
    }
    return IntegrationStatus.of(current);
  }
}
