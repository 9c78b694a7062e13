package dev.vapiusage.simulator;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential a Vapi server URL is configured with, as the headers it puts on each delivery: a
 * Bearer secret, or an HMAC-SHA256 signature (key: the secret's UTF-8 bytes) in {@code
 * x-signature}, lower-case hex, over {@code <x-timestamp>.<body>} with {@code x-timestamp} in Unix
 * seconds, or over the bare body without a timestamp. Immutable and thread-safe; its {@code
 * toString} never shows the secret.
 */
public final class WebhookCredential {
  /** How a delivery proves where it comes from. */
  public enum Kind {
    /** {@code Authorization: Bearer <secret>}. */
    BEARER,
    /** {@code x-signature} over {@code <x-timestamp>.<body>}, with {@code x-timestamp}. */
    HMAC_TIMESTAMPED,
    /** {@code x-signature} over the bare body, without a timestamp header. */
    HMAC_BODY
  }

  private final Kind kind;
  private final byte[] secret;

  private WebhookCredential(Kind kind, String secret) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.secret = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
    if (this.secret.length == 0) {
      throw new IllegalArgumentException("a webhook secret is not empty");
    }
  }

  public static WebhookCredential bearer(String secret) {
    return new WebhookCredential(Kind.BEARER, secret);
  }

  /** Vapi's HMAC credential with a timestamp header (what Vapi's dashboard sets up). */
  public static WebhookCredential hmac(String secret) {
    return new WebhookCredential(Kind.HMAC_TIMESTAMPED, secret);
  }

  /** The HMAC variant over the bare body, without a timestamp header. */
  public static WebhookCredential hmacOverBody(String secret) {
    return new WebhookCredential(Kind.HMAC_BODY, secret);
  }

  public Kind kind() {
    return kind;
  }

  /** The headers that sign {@code body} when sent at {@code now}, in the order they are set. */
  public Map<String, String> headers(byte[] body, Instant now) {
    Map<String, String> headers = new LinkedHashMap<>();
    switch (kind) {
      case BEARER:
        headers.put("Authorization", "Bearer " + new String(secret, StandardCharsets.UTF_8));
        break;
      case HMAC_TIMESTAMPED:
        String timestamp = Long.toString(now.getEpochSecond());
        headers.put("x-timestamp", timestamp);
        headers.put(
            "x-signature",
            hmacHex(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body));
        break;
      case HMAC_BODY:
        headers.put("x-signature", hmacHex(secret, new byte[0], body));
        break;
      default:
        throw new IllegalStateException("no headers for " + kind);
    }
    return headers;
  }

  /** Lower-case hex of HMAC-SHA256 under {@code key} over {@code prefix} then {@code body}. */
  static String hmacHex(byte[] key, byte[] prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix);
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookCredential[" + kind + "]";
  }
}
