package dev.vapiusage.domain.push;

import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Vapi delivers a user's server messages: a random webhook id (at least 128 bits, written as
 * 32 or more hex digits) and the sealed webhook secret, absent until the user makes one.
 */
public record WebhookEndpoint(UserId userId, String webhookId, Optional<SealedKey> secret) {
  public WebhookEndpoint {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    return "WebhookEndpoint[userId=" + userId + ", webhookId=" + webhookId + "]";
  }
}
