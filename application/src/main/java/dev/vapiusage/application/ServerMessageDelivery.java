package dev.vapiusage.application;

import java.util.Objects;
import java.util.Optional;

/**
 * One request to a webhook URL as it arrived: the id from its path, the credential headers Vapi may
 * send ({@code Authorization}, {@code x-signature}, {@code x-timestamp}) and the body's exact
 * bytes, which the signature covers. It never prints its headers or body.
 */
public record ServerMessageDelivery(
    String webhookId,
    Optional<String> authorization,
    Optional<String> signature,
    Optional<String> timestamp,
    byte[] body) {

  public ServerMessageDelivery {
    Objects.requireNonNull(webhookId, "webhookId");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(body, "body");
  }

  @Override
  public String toString() {
    return "ServerMessageDelivery[webhookId=" + webhookId + ", " + body.length + " bytes]";
  }
}
