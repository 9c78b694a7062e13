package dev.vapiusage.application;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.KeyVault;

/** Opens the key of a user's connected integration, or fails with {@code not_connected}. */
final class ConnectedKey {
  private ConnectedKey() {}

  static ConnectedIntegration requireConnected(IntegrationRepository integrations, UserId userId) {
    return integrations
        .find(userId)
        .filter(ConnectedIntegration.class::isInstance)
        .map(ConnectedIntegration.class::cast)
        .orElseThrow(UsageException::notConnected);
  }

  static ApiKey open(KeyVault vault, ConnectedIntegration connected) {
    return vault.open(connected.userId(), connected.key());
  }
}
