package dev.vapiusage.application;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import java.util.Objects;

/** Reads a user's integration status. */
public final class GetIntegrationStatus {
  private final IntegrationRepository integrations;

  public GetIntegrationStatus(IntegrationRepository integrations) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
  }

  public IntegrationStatus status(UserId userId) {
    return IntegrationStatus.of(integrations.find(userId));
  }
}
