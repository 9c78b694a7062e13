package dev.vapiusage.application;

import static dev.vapiusage.domain.testing.TestData.anyCallId;
import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.Figures;
import dev.vapiusage.domain.push.ServerMessage;
import dev.vapiusage.domain.testing.InMemoryWebhookEndpoints;
import dev.vapiusage.domain.testing.TestData;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AcceptServerMessageTest {
  private final UseCaseFixture app = new UseCaseFixture();
  private final InMemoryWebhookEndpoints endpoints = new InMemoryWebhookEndpoints();
  private final PreparedMessages messages = new PreparedMessages();
  private final ManageWebhook webhook = new ManageWebhook(endpoints, app.vault);
  private final AcceptServerMessage accept =
      new AcceptServerMessage(
          endpoints, app.integrations, app.vault, messages, app.usage, app.clock);

  private final UserId user = anyUserId();
  private final Instant created = UseCaseFixture.NOW.minus(Duration.ofMinutes(10));

  @Test
  void givenBearerSecret_accept_storesTheReportedCall() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));

    AcceptedMessage accepted = accept.accept(bearer(id(user), secret, body));

    assertThat(accepted)
        .isEqualTo(
            new AcceptedMessage(
                AcceptedMessage.Type.END_OF_CALL_REPORT, AcceptedMessage.Outcome.STORED));
    assertThat(app.usage.find(user, call.id())).contains(call);
  }

  @Test
  void givenHmacOverTimestampAndBody_accept_storesTheCall() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));
    String timestamp = Long.toString(app.clock.instant().getEpochSecond());

    accept.accept(
        signed(id(user), hmacHex("HmacSHA256", secret, timestamp + ".", body), timestamp, body));

    assertThat(app.usage.find(user, call.id())).contains(call);
  }

  @Test
  void givenHmacOverTheBareBodyWithoutTimestamp_accept_storesTheCall() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));

    accept.accept(signed(id(user), hmacHex("HmacSHA256", secret, "", body), null, body));

    assertThat(app.usage.find(user, call.id())).contains(call);
  }

  @Test
  void givenHmacWithVapisSha256Prefix_accept_storesTheCall() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));

    accept.accept(
        signed(id(user), "sha256=" + hmacHex("HmacSHA256", secret, "", body), null, body));

    assertThat(app.usage.find(user, call.id())).contains(call);
  }

  @Test
  void givenTimestampAtTheEdgesOfTheWindow_accept_storesTheCall() {
    String secret = connectedWithSecret(user);
    for (long offset : new long[] {-300, 300}) {
      CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
      byte[] body = messages.body(new ServerMessage.CallReport(call));
      String timestamp = Long.toString(app.clock.instant().getEpochSecond() + offset);
      accept.accept(
          signed(id(user), hmacHex("HmacSHA256", secret, timestamp + ".", body), timestamp, body));
      assertThat(app.usage.find(user, call.id())).contains(call);
    }
  }

  @Test
  void givenWrongSecret_accept_refusesAndStoresNothing() {
    connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));
    String wrong = "not-the-secret-but-long-enough-0123456789abc";
    String timestamp = Long.toString(app.clock.instant().getEpochSecond());

    assertRefused(
        bearer(id(user), wrong, body), InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertRefused(
        signed(id(user), hmacHex("HmacSHA256", wrong, timestamp + ".", body), timestamp, body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertThat(app.usage.find(user, call.id())).isEmpty();
  }

  @Test
  void givenAnotherAlgorithm_accept_refusesAndStoresNothing() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));
    String timestamp = Long.toString(app.clock.instant().getEpochSecond());

    assertRefused(
        signed(id(user), hmacHex("HmacSHA1", secret, timestamp + ".", body), timestamp, body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertRefused(
        signed(id(user), hmacHex("HmacSHA512", secret, "", body), null, body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertThat(app.usage.find(user, call.id())).isEmpty();
  }

  @Test
  void givenStaleOrFutureTimestamp_accept_refusesAndStoresNothing() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));
    for (long offset : new long[] {-301, 301, -86_400}) {
      String timestamp = Long.toString(app.clock.instant().getEpochSecond() + offset);
      assertRefused(
          signed(id(user), hmacHex("HmacSHA256", secret, timestamp + ".", body), timestamp, body),
          InvalidSignatureException.Reason.STALE_TIMESTAMP);
    }
    String millis = Long.toString(app.clock.millis());
    assertRefused(
        signed(id(user), hmacHex("HmacSHA256", secret, millis + ".", body), millis, body),
        InvalidSignatureException.Reason.STALE_TIMESTAMP);
    assertThat(app.usage.find(user, call.id())).isEmpty();
  }

  @Test
  void givenBodyChangedByOneByte_accept_refusesAndStoresNothing() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));
    String timestamp = Long.toString(app.clock.instant().getEpochSecond());
    String signature = hmacHex("HmacSHA256", secret, timestamp + ".", body);
    byte[] changed = body.clone();
    changed[changed.length - 3] ^= 1;

    assertRefused(
        signed(id(user), signature, timestamp, changed),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    // A signature over the bare body does not stand for one over the timestamp, nor the reverse.
    assertRefused(
        signed(id(user), hmacHex("HmacSHA256", secret, "", body), timestamp, body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertRefused(
        signed(id(user), signature, null, body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertThat(app.usage.find(user, call.id())).isEmpty();
  }

  @Test
  void givenNoCredential_accept_refusesAndStoresNothing() {
    String secret = connectedWithSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));
    String timestamp = Long.toString(app.clock.instant().getEpochSecond());

    assertRefused(
        new ServerMessageDelivery(
            id(user), Optional.empty(), Optional.empty(), Optional.of(timestamp), body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertRefused(
        new ServerMessageDelivery(
            id(user), Optional.of("Basic " + secret), Optional.empty(), Optional.empty(), body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertRefused(
        new ServerMessageDelivery(
            id(user), Optional.of(secret), Optional.empty(), Optional.empty(), body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertRefused(
        signed(
            id(user),
            hmacHex("HmacSHA256", secret, timestamp + ".", body).toUpperCase(),
            timestamp,
            body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertThat(app.usage.find(user, call.id())).isEmpty();
  }

  @Test
  void givenNoSecretMadeYet_accept_refusesEvenAnEmptyCredential() {
    app.connected(user);
    String webhookId = webhook.endpoint(user).webhookId();
    byte[] body = messages.body(new ServerMessage.Ignored("hang"));

    assertRefused(bearer(webhookId, "", body), InvalidSignatureException.Reason.INVALID_SIGNATURE);
  }

  @Test
  void givenAnotherUsersSecret_accept_refusesAndStoresNothingForEither() {
    connectedWithSecret(user);
    UserId other = anyUserId();
    String othersSecret = connectedWithSecret(other);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));

    assertRefused(
        bearer(id(user), othersSecret, body), InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertThat(app.usage.find(user, call.id())).isEmpty();
    assertThat(app.usage.find(other, call.id())).isEmpty();
  }

  @Test
  void givenUnknownOrMalformedWebhookId_accept_answersNotFound() {
    String secret = connectedWithSecret(user);
    byte[] body = messages.body(new ServerMessage.Ignored("hang"));
    String unknown = id(user).replace(id(user).charAt(0), id(user).charAt(0) == 'a' ? 'b' : 'a');

    for (String webhookId :
        new String[] {unknown, "short", "../" + id(user), id(user) + "/x", ""}) {
      assertThatThrownBy(() -> accept.accept(bearer(webhookId, secret, body)))
          .isInstanceOfSatisfying(
              UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
  }

  @Test
  void givenDisconnectedUser_accept_answersNotFoundAndStoresNothing() {
    String secret = connectedWithSecret(user);
    app.disconnect.disconnect(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));

    assertThatThrownBy(() -> accept.accept(bearer(id(user), secret, body)))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(app.usage.find(user, call.id())).isEmpty();
  }

  @Test
  void givenNewSecret_accept_refusesTheOldOne() {
    String old = connectedWithSecret(user);
    String current = webhook.newSecret(user);
    CallRecord call = TestData.endedCall(anyCallId(), created, 60, "0.25");
    byte[] body = messages.body(new ServerMessage.CallReport(call));

    assertThat(current).isNotEqualTo(old);
    assertRefused(bearer(id(user), old, body), InvalidSignatureException.Reason.INVALID_SIGNATURE);
    assertRefused(
        signed(id(user), hmacHex("HmacSHA256", old, "", body), null, body),
        InvalidSignatureException.Reason.INVALID_SIGNATURE);
    accept.accept(bearer(id(user), current, body));
    assertThat(app.usage.find(user, call.id())).contains(call);
  }

  @Test
  void givenBodyThatIsNoServerMessage_accept_isAnInvalidRequest() {
    String secret = connectedWithSecret(user);
    byte[] body = "{\"message\":{}}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> accept.accept(bearer(id(user), secret, body)))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }

  @Test
  void givenOtherMessageType_accept_acceptsAndStoresNothing() {
    String secret = connectedWithSecret(user);
    byte[] body = messages.body(new ServerMessage.Ignored("transcript"));

    assertThat(accept.accept(bearer(id(user), secret, body)))
        .isEqualTo(
            new AcceptedMessage(AcceptedMessage.Type.OTHER, AcceptedMessage.Outcome.IGNORED));
    assertThat(app.usage.count(user)).isZero();
  }

  @Test
  void givenRepeatedAndReorderedMessages_accept_neverDoublesTotalsNorGoesBack() {
    String secret = connectedWithSecret(user);
    String callId = anyCallId();
    CallRecord ringing =
        TestData.call(callId, created)
            .status("in-progress")
            .updatedAt(created.plusSeconds(5))
            .build();
    CallRecord ended = TestData.endedCall(callId, created, 120, "0.40");
    byte[] report = messages.body(new ServerMessage.CallReport(ended));
    byte[] lateStatus =
        messages.body(new ServerMessage.StatusUpdate(ringing, created.plusSeconds(5)));
    byte[] earlyStatus =
        messages.body(new ServerMessage.StatusUpdate(ringing, created.plusSeconds(1)));

    assertThat(accept.accept(bearer(id(user), secret, earlyStatus)).outcome())
        .isEqualTo(AcceptedMessage.Outcome.STORED);
    assertThat(accept.accept(bearer(id(user), secret, report)).outcome())
        .isEqualTo(AcceptedMessage.Outcome.STORED);
    assertThat(accept.accept(bearer(id(user), secret, report)).outcome())
        .isEqualTo(AcceptedMessage.Outcome.UNCHANGED);
    assertThat(accept.accept(bearer(id(user), secret, lateStatus)))
        .isEqualTo(
            new AcceptedMessage(
                AcceptedMessage.Type.STATUS_UPDATE, AcceptedMessage.Outcome.UNCHANGED));
    assertThat(accept.accept(bearer(id(user), secret, report)).outcome())
        .isEqualTo(AcceptedMessage.Outcome.UNCHANGED);

    assertThat(app.usage.find(user, callId)).contains(ended);
    Figures totals =
        app.usage
            .aggregate(
                user,
                new DateRange(
                    LocalDate.ofInstant(created, ZoneOffset.UTC),
                    LocalDate.ofInstant(created, ZoneOffset.UTC),
                    ZoneOffset.UTC))
            .totals();
    assertThat(totals.calls()).isEqualTo(1);
    assertThat(totals.cost()).isEqualByComparingTo(new BigDecimal("0.40"));
  }

  @Test
  void newSecret_isAtLeast256RandomBitsInBase64Url() {
    app.connected(user);
    String first = webhook.newSecret(user);
    String second = webhook.newSecret(user);

    assertThat(first).matches("[A-Za-z0-9_-]{43,}").isNotEqualTo(second);
    assertThat(endpoints.find(id(user)).orElseThrow().secret().orElseThrow().ciphertext())
        .doesNotContain(second);
  }

  @Test
  void endpoint_isMadeOnceWith128RandomBitsInHex() {
    String first = webhook.endpoint(user).webhookId();

    assertThat(first).matches("[0-9a-f]{32}");
    assertThat(webhook.endpoint(user).webhookId()).isEqualTo(first);
    assertThat(webhook.endpoint(anyUserId()).webhookId()).isNotEqualTo(first);
  }

  @Test
  void delivery_printsNeitherCredentialNorBody() {
    ServerMessageDelivery delivery =
        bearer(
            "0123456789abcdef0123456789abcdef",
            "the-secret",
            "the-body".getBytes(StandardCharsets.UTF_8));

    assertThat(delivery.toString()).doesNotContain("the-secret").doesNotContain("the-body");
  }

  private String connectedWithSecret(UserId userId) {
    app.connected(userId);
    return webhook.newSecret(userId);
  }

  private String id(UserId userId) {
    return webhook.endpoint(userId).webhookId();
  }

  private void assertRefused(
      ServerMessageDelivery delivery, InvalidSignatureException.Reason reason) {
    assertThatThrownBy(() -> accept.accept(delivery))
        .isInstanceOfSatisfying(
            InvalidSignatureException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SIGNATURE);
              assertThat(e.reason()).isEqualTo(reason);
            });
  }

  private static ServerMessageDelivery bearer(String webhookId, String secret, byte[] body) {
    return new ServerMessageDelivery(
        webhookId, Optional.of("Bearer " + secret), Optional.empty(), Optional.empty(), body);
  }

  private static ServerMessageDelivery signed(
      String webhookId, String signature, String timestamp, byte[] body) {
    return new ServerMessageDelivery(
        webhookId, Optional.empty(), Optional.of(signature), Optional.ofNullable(timestamp), body);
  }

  private static String hmacHex(String algorithm, String secret, String prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      mac.update(prefix.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
