package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.push.WebhookEndpoint;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The webhook endpoints in memory, for this module's tests. */
final class WebhookEndpointsDouble implements WebhookEndpoints {
  private final Map<UserId, WebhookEndpoint> byUser = new ConcurrentHashMap<>();

  @Override
  public WebhookEndpoint endpointOf(UserId userId, String newWebhookId) {
    return byUser.computeIfAbsent(
        userId, id -> new WebhookEndpoint(id, newWebhookId, Optional.empty()));
  }

  @Override
  public Optional<WebhookEndpoint> find(String webhookId) {
    return byUser.values().stream().filter(e -> e.webhookId().equals(webhookId)).findFirst();
  }

  @Override
  public void replaceSecret(UserId userId, SealedKey secret) {
    byUser.computeIfPresent(
        userId, (id, e) -> new WebhookEndpoint(id, e.webhookId(), Optional.of(secret)));
  }
}
