package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookApiTest {
  private static final String WEBHOOK = "/api/vapi/webhook/";

  private final TestServer server = new TestServer();
  private final TestServer.User user = server.connectedUser(TestData.anyApiKey());

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void givenBearerSecret_webhook_answersReceivedAndStoresTheCall() {
    String secret = newSecret(user);
    String callId = UUID.randomUUID().toString();

    TestServer.Response response =
        push(webhookId(user), report(callId), "Authorization", "Bearer " + secret);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"received\":true}");
    assertThat(response.header("Content-Type")).startsWith("application/json");
    assertThat(server.usage.find(user.id(), callId)).isPresent();
  }

  @Test
  void givenHmacOverTimestampAndBody_webhook_storesTheCall() {
    String secret = newSecret(user);
    String callId = UUID.randomUUID().toString();
    String body = report(callId);
    String timestamp = now();

    TestServer.Response response =
        push(
            webhookId(user),
            body,
            "x-signature",
            hmac("HmacSHA256", secret, timestamp + "." + body),
            "x-timestamp",
            timestamp);

    assertThat(response.status()).isEqualTo(200);
    assertThat(server.usage.find(user.id(), callId)).isPresent();
  }

  @Test
  void givenHmacOverTheBareBody_webhook_storesTheCall() {
    String secret = newSecret(user);
    String callId = UUID.randomUUID().toString();
    String body = report(callId);

    TestServer.Response response =
        push(webhookId(user), body, "x-signature", hmac("HmacSHA256", secret, body));

    assertThat(response.status()).isEqualTo(200);
    assertThat(server.usage.find(user.id(), callId)).isPresent();
  }

  @Test
  void givenAnyOtherCredential_webhook_answers401AndStoresNothing() {
    String secret = newSecret(user);
    String callId = UUID.randomUUID().toString();
    String body = report(callId);
    String timestamp = now();
    String stale = Long.toString(Long.parseLong(timestamp) - 301);
    String changed = body.replace("0.25", "0.26");
    List<String[]> refused = new ArrayList<>();
    refused.add(new String[] {});
    refused.add(new String[] {"Authorization", "Bearer " + secret + "x"});
    refused.add(new String[] {"Authorization", secret});
    refused.add(
        new String[] {
          "x-signature", hmac("HmacSHA1", secret, timestamp + "." + body), "x-timestamp", timestamp
        });
    refused.add(
        new String[] {
          "x-signature",
          hmac("HmacSHA256", "wrong", timestamp + "." + body),
          "x-timestamp",
          timestamp
        });
    refused.add(
        new String[] {
          "x-signature", hmac("HmacSHA256", secret, stale + "." + body), "x-timestamp", stale
        });
    refused.add(
        new String[] {"x-signature", hmac("HmacSHA256", secret, body), "x-timestamp", timestamp});
    refused.add(new String[] {"x-timestamp", timestamp});

    for (String[] headers : refused) {
      TestServer.Response response = push(webhookId(user), body, headers);
      assertThat(response.status()).as(String.join(" ", headers)).isEqualTo(401);
      assertThat(response.isContractError("invalid_signature")).isTrue();
      assertThat(response.body()).doesNotContain(secret);
    }
    TestServer.Response oneByteChanged =
        push(webhookId(user), changed, "x-signature", hmac("HmacSHA256", secret, body));
    assertThat(oneByteChanged.status()).isEqualTo(401);
    assertThat(server.usage.find(user.id(), callId)).isEmpty();
  }

  @Test
  void givenUnknownIdOrAnotherUsersSecret_webhook_refusesAndStoresNothing() {
    newSecret(user);
    TestServer.User other = server.connectedUser(TestData.anyApiKey());
    String othersSecret = newSecret(other);
    String callId = UUID.randomUUID().toString();

    TestServer.Response unknown =
        push(
            "0123456789abcdef0123456789abcdef",
            report(callId),
            "Authorization",
            "Bearer " + othersSecret);
    TestServer.Response crossed =
        push(webhookId(user), report(callId), "Authorization", "Bearer " + othersSecret);

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.isContractError("not_found")).isTrue();
    assertThat(crossed.status()).isEqualTo(401);
    assertThat(server.usage.find(user.id(), callId)).isEmpty();
    assertThat(server.usage.find(other.id(), callId)).isEmpty();
  }

  @Test
  void givenDisconnectedUser_webhook_answers404() {
    String secret = newSecret(user);
    String webhookId = webhookId(user);
    server.send("DELETE", "/api/vapi/connect", user.token(), null);

    TestServer.Response response =
        push(webhookId, report(UUID.randomUUID().toString()), "Authorization", "Bearer " + secret);

    assertThat(response.status()).isEqualTo(404);
  }

  @Test
  void givenBodyOver16KbButWithin1MiB_webhook_acceptsIt_andOver1MiB_answers413() {
    String secret = newSecret(user);
    String callId = UUID.randomUUID().toString();
    String large = report(callId, "x".repeat(512 * 1024));
    String tooLarge = report(UUID.randomUUID().toString(), "x".repeat(1024 * 1024));

    TestServer.Response accepted =
        push(webhookId(user), large, "Authorization", "Bearer " + secret);
    TestServer.Response refused =
        push(webhookId(user), tooLarge, "Authorization", "Bearer " + secret);

    assertThat(accepted.status()).isEqualTo(200);
    assertThat(server.usage.find(user.id(), callId)).isPresent();
    assertThat(refused.status()).isEqualTo(413);
    assertThat(refused.isContractError("payload_too_large")).isTrue();
  }

  @Test
  void givenForeignOriginAndNoSessionOrCsrf_webhook_stillAcceptsTheSecret() {
    String secret = newSecret(user);
    String callId = UUID.randomUUID().toString();

    TestServer.Response response =
        push(
            webhookId(user),
            report(callId),
            "Authorization",
            "Bearer " + secret,
            "Origin",
            "https://elsewhere.example",
            "Content-Type",
            "application/json");

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void givenUserApiToken_webhook_refusesIt() {
    newSecret(user);

    TestServer.Response response =
        push(
            webhookId(user),
            report(UUID.randomUUID().toString()),
            "Authorization",
            "Bearer " + user.token());

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.isContractError("invalid_signature")).isTrue();
  }

  @Test
  void givenBodyThatIsNoServerMessage_webhook_answers400AndOtherTypesAreIgnored() {
    String secret = newSecret(user);

    TestServer.Response malformed =
        push(webhookId(user), "{\"message\":", "Authorization", "Bearer " + secret);
    TestServer.Response other =
        push(
            webhookId(user),
            "{\"message\":{\"type\":\"transcript\"}}",
            "Authorization",
            "Bearer " + secret);

    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.isContractError("invalid_request")).isTrue();
    assertThat(other.status()).isEqualTo(200);
  }

  @Test
  void metrics_countRejectionsByReason_andMessagesByTypeAndOutcome() {
    String secret = newSecret(user);
    String body = report(UUID.randomUUID().toString());
    String stale = Long.toString(Long.parseLong(now()) - 3600);
    push(webhookId(user), body, "Authorization", "Bearer wrong");
    push(
        webhookId(user),
        body,
        "x-signature",
        hmac("HmacSHA256", secret, stale + "." + body),
        "x-timestamp",
        stale);
    push("0123456789abcdef0123456789abcdef", body);
    push(webhookId(user), "[]", "Authorization", "Bearer " + secret);
    push(
        webhookId(user),
        report("big", "x".repeat(1024 * 1024)),
        "Authorization",
        "Bearer " + secret);
    push(webhookId(user), body, "Authorization", "Bearer " + secret);
    push(webhookId(user), body, "Authorization", "Bearer " + secret);

    String metrics = server.get("/metrics", null).body();

    assertThat(count(metrics, "vapi_usage_webhook_rejected_total", "reason=\"invalid_signature\""))
        .isEqualTo(1);
    assertThat(count(metrics, "vapi_usage_webhook_rejected_total", "reason=\"stale_timestamp\""))
        .isEqualTo(1);
    assertThat(count(metrics, "vapi_usage_webhook_rejected_total", "reason=\"not_found\""))
        .isEqualTo(1);
    assertThat(count(metrics, "vapi_usage_webhook_rejected_total", "reason=\"invalid_request\""))
        .isEqualTo(1);
    assertThat(count(metrics, "vapi_usage_webhook_rejected_total", "reason=\"too_large\""))
        .isEqualTo(1);
    assertThat(
            count(
                metrics,
                "vapi_usage_webhook_messages_total",
                "outcome=\"stored\",type=\"end-of-call-report\""))
        .isEqualTo(1);
    assertThat(
            count(
                metrics,
                "vapi_usage_webhook_messages_total",
                "outcome=\"unchanged\",type=\"end-of-call-report\""))
        .isEqualTo(1);
    assertThat(metrics).doesNotContain(secret);
  }

  @Test
  void newSecret_isShownOnce_andReplacesTheOldOne() {
    String old = newSecret(user);
    TestServer.Response rotated = server.send("POST", WEBHOOK + "secret", user.token(), null);
    String current = rotated.json().get("secret").textValue();
    String body = report(UUID.randomUUID().toString());

    assertThat(rotated.status()).isEqualTo(200);
    assertThat(rotated.json().size()).isEqualTo(1);
    assertThat(current).matches("[A-Za-z0-9_-]{43,}").isNotEqualTo(old);
    assertThat(push(webhookId(user), body, "Authorization", "Bearer " + old).status())
        .isEqualTo(401);
    assertThat(push(webhookId(user), body, "Authorization", "Bearer " + current).status())
        .isEqualTo(200);
    assertThat(server.get("/api/vapi/connect", user.token()).body()).doesNotContain(current);
  }

  @Test
  void newSecret_needsAuthentication_andFromABrowserItsOwnOrigin() {
    String session = server.login(user);

    TestServer.Response anonymous = server.send("POST", WEBHOOK + "secret", null, null);
    TestServer.Response foreign =
        server.send(
            "POST",
            WEBHOOK + "secret",
            null,
            null,
            "Cookie",
            SessionCookie.NAME + "=" + session,
            "Origin",
            "https://elsewhere.example");
    TestServer.Response own =
        server.send(
            "POST",
            WEBHOOK + "secret",
            null,
            null,
            "Cookie",
            SessionCookie.NAME + "=" + session,
            "Origin",
            server.origin());

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.isContractError("unauthorized")).isTrue();
    assertThat(foreign.status()).isEqualTo(403);
    assertThat(own.status()).isEqualTo(200);
  }

  @Test
  void status_showsTheWebhookUrlOfAConnectedUser_andNullOtherwise() {
    TestServer.Response status = server.get("/api/vapi/connect", user.token());
    TestServer.User stranger = server.newUser();

    String url = status.json().get("webhookUrl").textValue();
    assertThat(url).isEqualTo(server.origin() + WEBHOOK + webhookId(user));
    assertThat(url).matches(".*/api/vapi/webhook/[0-9a-f]{32}");
    assertThat(server.get("/api/vapi/connect", user.token()).json().get("webhookUrl").textValue())
        .isEqualTo(url);
    assertThat(server.get("/api/vapi/connect", stranger.token()).json().get("webhookUrl").isNull())
        .isTrue();
  }

  private String newSecret(TestServer.User owner) {
    TestServer.Response response = server.send("POST", WEBHOOK + "secret", owner.token(), null);
    assertThat(response.status()).isEqualTo(200);
    return response.json().get("secret").textValue();
  }

  private String webhookId(TestServer.User owner) {
    String url =
        server.get("/api/vapi/connect", owner.token()).json().get("webhookUrl").textValue();
    return url.substring(url.lastIndexOf('/') + 1);
  }

  private TestServer.Response push(String webhookId, String body, String... headers) {
    return server.send("POST", WEBHOOK + webhookId, null, body, headers);
  }

  private String now() {
    return Long.toString(server.clock.instant().getEpochSecond());
  }

  private static String report(String callId) {
    return report(callId, "");
  }

  /** An end-of-call report; {@code padding} makes it as large as a test needs. */
  private static String report(String callId, String padding) {
    return "{\"message\":{\"type\":\"end-of-call-report\",\"timestamp\":1707991000000,"
        + "\"cost\":0.25,\"startedAt\":\"2024-02-15T09:50:02Z\",\"endedAt\":\"2024-02-15T09:52:02Z\","
        + "\"endedReason\":\"customer-ended-call\",\"transcript\":\""
        + padding
        + "\",\"call\":{\"id\":\""
        + callId
        + "\",\"createdAt\":\"2024-02-15T09:50:00Z\",\"updatedAt\":\"2024-02-15T09:52:10Z\"}}}";
  }

  private static String hmac(String algorithm, String secret, String payload) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value of a Prometheus sample with these labels (in the registry's order). */
  private static double count(String metrics, String name, String labels) {
    Matcher sample =
        Pattern.compile(
                "^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + ",?\\} ([0-9.E]+)$",
                Pattern.MULTILINE)
            .matcher(metrics);
    return sample.find() ? Double.parseDouble(sample.group(1)) : -1;
  }
}
