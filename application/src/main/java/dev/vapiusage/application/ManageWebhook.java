package dev.vapiusage.application;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.push.WebhookEndpoint;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A user's webhook (contract §9.4): the random id of its URL, made the first time it is asked for,
 * and the webhook secret, which only a new one replaces and which is shown once.
 */
public final class ManageWebhook {
  /** 128 bits: the id is the URL's only secret part until a request is verified. */
  private static final int ID_BYTES = 16;

  private static final int SECRET_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookEndpoints endpoints;
  private final KeyVault vault;

  public ManageWebhook(WebhookEndpoints endpoints, KeyVault vault) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.vault = Objects.requireNonNull(vault, "vault");
  }

  /** The user's endpoint, made with a new random id when the user has none yet. */
  public WebhookEndpoint endpoint(UserId userId) {
    Objects.requireNonNull(userId, "userId");
    return endpoints.endpointOf(userId, HexFormat.of().formatHex(random(ID_BYTES)));
  }

  /**
   * Makes and stores a new webhook secret, which invalidates the old one at once, and returns it in
   * clear: the only time it is shown, since only its sealed form is stored.
   */
  public String newSecret(UserId userId) {
    endpoint(userId);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random(SECRET_BYTES));
    endpoints.replaceSecret(userId, vault.seal(userId, ApiKey.of(secret)));
    return secret;
  }

  private static byte[] random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return value;
  }
}
