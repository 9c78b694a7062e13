package dev.vapiusage.domain.port;

import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.push.WebhookEndpoint;
import java.util.Optional;

/** The users' webhook endpoints. Implementations are thread-safe. */
public interface WebhookEndpoints {

  /**
   * The user's endpoint; when the user has none yet, one is stored with {@code newWebhookId} (of
   * two processes racing, both get the one stored first).
   */
  WebhookEndpoint endpointOf(UserId userId, String newWebhookId);

  /** The endpoint with this webhook id, if any. */
  Optional<WebhookEndpoint> find(String webhookId);

  /** Replaces the user's webhook secret; the old one stops working at once. */
  void replaceSecret(UserId userId, SealedKey secret);
}
