package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.push.WebhookEndpoint;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Webhook endpoints in memory, keyed by user; thread-safe. */
public final class InMemoryWebhookEndpoints implements WebhookEndpoints {
  private final Map<UserId, WebhookEndpoint> byUser = new ConcurrentHashMap<>();

  @Override
  public WebhookEndpoint endpointOf(UserId userId, String newWebhookId) {
    Objects.requireNonNull(newWebhookId, "newWebhookId");
    return byUser.computeIfAbsent(
        userId, id -> new WebhookEndpoint(id, newWebhookId, Optional.empty()));
  }

  @Override
  public Optional<WebhookEndpoint> find(String webhookId) {
    Objects.requireNonNull(webhookId, "webhookId");
    return byUser.values().stream().filter(e -> e.webhookId().equals(webhookId)).findFirst();
  }

  @Override
  public void replaceSecret(UserId userId, SealedKey secret) {
    Objects.requireNonNull(secret, "secret");
    WebhookEndpoint replaced =
        byUser.computeIfPresent(
            userId, (id, e) -> new WebhookEndpoint(id, e.webhookId(), Optional.of(secret)));
    if (replaced == null) {
      throw new UsageException(ErrorCode.NOT_FOUND, "The user has no webhook endpoint yet");
    }
  }
}
