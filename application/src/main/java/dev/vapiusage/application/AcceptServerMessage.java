package dev.vapiusage.application;

import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.ServerMessageReader;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.push.ServerMessage;
import dev.vapiusage.domain.push.WebhookEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Accepts one of Vapi's server messages at a user's webhook URL (contract §9.4): only with the
 * user's webhook secret as a Bearer credential or an HMAC-SHA256 signature, and only for a
 * connected user; then stores an end-of-call report or a status update so that a repeated or older
 * message never overwrites newer data. Thread-safe.
 */
public final class AcceptServerMessage {
  /** How far {@code x-timestamp} may be from the clock, either way. */
  public static final Duration TIMESTAMP_WINDOW = Duration.ofMinutes(5);

  /** The documented forms: 32+ hex digits or 22+ base64url characters; longer is no id of ours. */
  private static final Pattern WEBHOOK_ID = Pattern.compile("[A-Za-z0-9_-]{22,128}");

  private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern LOWER_HEX = Pattern.compile("[0-9a-f]{64}");

  /**
   * Vapi's HMAC credential may put a prefix before the digest and names {@code sha256=} as its
   * example (its HMACAuthenticationPlan's {@code signaturePrefix}).
   */
  private static final String SIGNATURE_PREFIX = "sha256=";

  private static final String HMAC = "HmacSHA256";

  private final WebhookEndpoints endpoints;
  private final IntegrationRepository integrations;
  private final KeyVault vault;
  private final ServerMessageReader reader;
  private final UsageRepository usage;
  private final Clock clock;

  public AcceptServerMessage(
      WebhookEndpoints endpoints,
      IntegrationRepository integrations,
      KeyVault vault,
      ServerMessageReader reader,
      UsageRepository usage,
      Clock clock) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Verifies, reads and stores the message.
   *
   * @throws UsageException {@code not_found} for an unknown webhook id or a user who is not
   *     connected, {@link InvalidSignatureException} without a valid credential, {@code
   *     invalid_request} for a body that is no server message
   */
  public AcceptedMessage accept(ServerMessageDelivery delivery) {
    WebhookEndpoint endpoint = endpointOfConnectedUser(delivery.webhookId());
    SealedKey sealed =
        endpoint
            .secret()
            .orElseThrow(
                () ->
                    new InvalidSignatureException(
                        InvalidSignatureException.Reason.INVALID_SIGNATURE));
    byte[] secret = vault.open(endpoint.userId(), sealed).reveal().getBytes(StandardCharsets.UTF_8);
    verify(delivery, secret);

    ServerMessage message = reader.read(delivery.body());
    if (message instanceof ServerMessage.CallReport) {
      boolean stored =
          usage.storeIfNewer(endpoint.userId(), ((ServerMessage.CallReport) message).call());
      return new AcceptedMessage(AcceptedMessage.Type.END_OF_CALL_REPORT, changed(stored));
    }
    if (message instanceof ServerMessage.StatusUpdate) {
      ServerMessage.StatusUpdate update = (ServerMessage.StatusUpdate) message;
      boolean stored = usage.storeStatus(endpoint.userId(), update.call(), update.at());
      return new AcceptedMessage(AcceptedMessage.Type.STATUS_UPDATE, changed(stored));
    }
    return new AcceptedMessage(AcceptedMessage.Type.OTHER, AcceptedMessage.Outcome.IGNORED);
  }

  /**
   * A disconnected user's URL answers as an unknown one: the contract gives connected users a
   * webhook, and a disconnected account should not keep collecting calls nobody syncs.
   */
  private WebhookEndpoint endpointOfConnectedUser(String webhookId) {
    if (!WEBHOOK_ID.matcher(webhookId).matches()) {
      throw notFound();
    }
    WebhookEndpoint endpoint = endpoints.find(webhookId).orElseThrow(AcceptServerMessage::notFound);
    boolean connected =
        integrations
            .find(endpoint.userId())
            .filter(integration -> integration instanceof ConnectedIntegration)
            .isPresent();
    if (!connected) {
      throw notFound();
    }
    return endpoint;
  }

  private void verify(ServerMessageDelivery delivery, byte[] secret) {
    Optional<String> bearer = delivery.authorization().flatMap(AcceptServerMessage::bearerToken);
    if (bearer.isPresent()
        && MessageDigest.isEqual(bearer.get().getBytes(StandardCharsets.UTF_8), secret)) {
      return;
    }
    Optional<String> signature = delivery.signature().map(AcceptServerMessage::digestOf);
    if (signature.isEmpty() || !LOWER_HEX.matcher(signature.get()).matches()) {
      throw invalidSignature();
    }
    Optional<String> timestamp = delivery.timestamp().map(String::strip);
    byte[] expected =
        timestamp.isPresent()
            ? hmac(
                secret, (timestamp.get() + ".").getBytes(StandardCharsets.UTF_8), delivery.body())
            : hmac(secret, new byte[0], delivery.body());
    byte[] presented = signature.get().getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(
        HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII), presented)) {
      throw invalidSignature();
    }
    // Checked after the signature, so only a genuine but replayed or delayed message counts as
    // stale.
    if (timestamp.isPresent() && !isWithinWindow(timestamp.get())) {
      throw new InvalidSignatureException(InvalidSignatureException.Reason.STALE_TIMESTAMP);
    }
  }

  private boolean isWithinWindow(String timestamp) {
    if (!UNIX_SECONDS.matcher(timestamp).matches()) {
      return false;
    }
    long offset = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
    return offset <= TIMESTAMP_WINDOW.toSeconds();
  }

  /** The token of {@code Bearer <token>} (the scheme in any case), or empty for another scheme. */
  private static Optional<String> bearerToken(String header) {
    String trimmed = header.strip();
    int space = trimmed.indexOf(' ');
    if (space < 0 || !trimmed.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      return Optional.empty();
    }
    return Optional.of(trimmed.substring(space + 1).strip());
  }

  private static String digestOf(String header) {
    String digest = header.strip();
    return digest.startsWith(SIGNATURE_PREFIX)
        ? digest.substring(SIGNATURE_PREFIX.length())
        : digest;
  }

  private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      mac.update(prefix);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The JDK offers no " + HMAC, e);
    }
  }

  private static AcceptedMessage.Outcome changed(boolean stored) {
    return stored ? AcceptedMessage.Outcome.STORED : AcceptedMessage.Outcome.UNCHANGED;
  }

  private static InvalidSignatureException invalidSignature() {
    return new InvalidSignatureException(InvalidSignatureException.Reason.INVALID_SIGNATURE);
  }

  private static UsageException notFound() {
    return new UsageException(ErrorCode.NOT_FOUND, "No webhook has this URL");
  }
}
