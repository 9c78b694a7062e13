package dev.vapiusage.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerMessagePushTest {
  private static final String KEY = "sim-key";

  /** Not ASCII, so that the HMAC key's UTF-8 encoding matters. */
  private static final String SECRET = "whsec-test-secret-ü-0123456789";

  /** Header values travel as ISO-8859-1, so a Bearer secret stays ASCII (as generated ones are). */
  private static final String ASCII_SECRET = "whsec_3q2-7Hk9vYbL0pXn";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private VapiSimulator simulator;
  private Receiver receiver;

  @BeforeEach
  void start() throws IOException {
    simulator = VapiSimulator.start(SimulatorData.empty(), KEY);
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    simulator.close();
    receiver.close();
  }

  @Test
  void givenAnHmacCredential_aDelivery_isSignedOverTimestampDotBody() throws Exception {
    Courier courier = simulator.serverUrl(receiver.url(), WebhookCredential.hmac(SECRET));
    SimulatedCall call = simulator.data().addEndedCall(Instant.now(), Duration.ofMinutes(2));
    long before = Instant.now().getEpochSecond();

    courier.sendReport(call);

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    Received received = receiver.only();
    String timestamp = received.header("x-timestamp");
    assertThat(Long.parseLong(timestamp)).isBetween(before, Instant.now().getEpochSecond());
    assertThat(received.header("x-signature"))
        .isEqualTo(
            hmacHex(SECRET, (timestamp + "." + received.body).getBytes(StandardCharsets.UTF_8)))
        .matches("[0-9a-f]{64}");
    assertThat(received.header("Authorization")).isNull();
    assertThat(courier.deliveries()).extracting(Delivery::httpStatus).containsExactly(200);
  }

  @Test
  void givenAnHmacOverBodyCredential_aDelivery_isSignedOverTheBareBodyWithoutTimestamp()
      throws Exception {
    Courier courier = simulator.serverUrl(receiver.url(), WebhookCredential.hmacOverBody(SECRET));
    SimulatedCall call = simulator.data().addEndedCall(Instant.now(), Duration.ofMinutes(2));

    courier.sendStatus(call);

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    Received received = receiver.only();
    assertThat(received.header("x-timestamp")).isNull();
    assertThat(received.header("x-signature"))
        .isEqualTo(hmacHex(SECRET, received.body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void givenABearerCredential_aDelivery_carriesTheSecretAsBearerToken() throws Exception {
    Courier courier = simulator.serverUrl(receiver.url(), WebhookCredential.bearer(ASCII_SECRET));

    courier.sendReport(simulator.data().addEndedCall(Instant.now(), Duration.ofMinutes(1)));

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    Received received = receiver.only();
    assertThat(received.header("Authorization")).isEqualTo("Bearer " + ASCII_SECRET);
    assertThat(received.header("x-signature")).isNull();
    assertThat(received.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void aCredential_toString_neverShowsTheSecret() {
    assertThat(WebhookCredential.hmac(SECRET).toString()).doesNotContain(SECRET);
    assertThat(WebhookCredential.bearer(ASCII_SECRET).toString()).doesNotContain(ASCII_SECRET);
  }

  @Test
  void givenAServerThatRefuses_deliveries_recordItsStatusCodes() throws Exception {
    receiver.answer(401);
    Courier courier = simulator.serverUrl(receiver.url(), WebhookCredential.hmac("wrong"));

    courier.sendReport(simulator.data().addEndedCall(Instant.now(), Duration.ofMinutes(1)));

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(courier.deliveries())
        .singleElement()
        .satisfies(
            delivery -> {
              assertThat(delivery.httpStatus()).isEqualTo(401);
              assertThat(delivery.accepted()).isFalse();
              assertThat(delivery.type()).isEqualTo("end-of-call-report");
            });
  }

  @Test
  void anEndOfCallReport_repeatsTheCallsCostsAndTimesBesideTheCallAsGetCallRendersIt()
      throws Exception {
    SimulatedCall call = simulator.data().addEndedCall(Instant.now(), Duration.ofMinutes(3));
    Instant sent = Instant.parse("2026-06-01T10:00:00.123Z");

    OutgoingMessage report = ServerMessages.withHeavyFields(true).endOfCallReport(call, sent);

    JsonNode message = JSON.readTree(report.body()).get("message");
    JsonNode fromApi = getCall(call.id());
    assertThat(message.get("type").asText()).isEqualTo("end-of-call-report");
    assertThat(message.get("timestamp").asLong()).isEqualTo(sent.toEpochMilli());
    assertThat(message.get("call")).isEqualTo(fromApi);
    for (String field :
        List.of(
            "endedReason", "cost", "costs", "costBreakdown", "startedAt", "endedAt", "analysis")) {
      assertThat(message.get(field)).as(field).isNotNull().isEqualTo(fromApi.get(field));
    }
  }

  @Test
  void aStatusUpdate_carriesTheStatusTimestampAndCall() throws Exception {
    SimulatedCall call = simulator.data().addInProgressCall(Instant.now());
    Instant sent = Instant.now();

    OutgoingMessage update = ServerMessages.withHeavyFields(true).statusUpdate(call, sent);

    JsonNode message = JSON.readTree(update.body()).get("message");
    assertThat(message.get("type").asText()).isEqualTo("status-update");
    assertThat(message.get("status").asText()).isEqualTo("in-progress");
    assertThat(message.get("timestamp").asLong()).isEqualTo(sent.toEpochMilli());
    assertThat(message.has("endedReason")).isFalse();
    assertThat(message.get("call")).isEqualTo(getCall(call.id()));
  }

  @Test
  void givenDuplicates_everyMessage_isDeliveredTwice() throws Exception {
    Courier courier =
        simulator.serverUrl(receiver.url(), WebhookCredential.hmac(SECRET)).duplicates(true);
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(simulator.data().addEndedCall(Instant.now(), Duration.ofMinutes(1 + i)));
    }

    calls.forEach(courier::sendReport);

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    Map<String, Long> perCall =
        receiver.received().stream()
            .collect(Collectors.groupingBy(Received::callId, Collectors.counting()));
    assertThat(perCall).hasSize(5).allSatisfy((id, count) -> assertThat(count).isEqualTo(2));
    assertThat(courier.deliveries()).hasSize(10).allMatch(Delivery::accepted);
  }

  @Test
  void givenAnOutOfOrderWindow_messages_arriveShuffledWithEachReportBeforeItsStatusUpdates()
      throws Exception {
    Courier courier =
        simulator.serverUrl(receiver.url(), WebhookCredential.hmac(SECRET)).outOfOrder(12);
    List<String> sentOrder = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SimulatedCall call = simulator.data().addInProgressCall(Instant.now());
      sentOrder.add(courier.sendStatus(call).callId() + " in-progress");
      SimulatedCall ended =
          simulator.data().endCall(call.id(), Instant.now(), Instant.now().plusMillis(1));
      sentOrder.add(courier.sendStatus(ended).callId() + " ended");
      sentOrder.add(courier.sendReport(ended).callId() + " report");
    }
    assertThat(receiver.received()).as("held until the window fills").isEmpty();

    courier.flush();

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    List<Received> arrived = receiver.received();
    List<String> arrivedOrder = new ArrayList<>();
    for (Received received : arrived) {
      arrivedOrder.add(received.callId() + " " + received.kind());
    }
    assertThat(arrivedOrder).containsExactlyInAnyOrderElementsOf(sentOrder).isNotEqualTo(sentOrder);
    for (String callId : arrived.stream().map(Received::callId).distinct().toList()) {
      List<String> kinds =
          arrived.stream().filter(r -> r.callId().equals(callId)).map(Received::kind).toList();
      assertThat(kinds.get(0)).as("the report comes first for " + callId).isEqualTo("report");
    }
  }

  @Test
  void givenAFullWindow_heldMessages_areSentWithoutAFlush() throws Exception {
    Courier courier =
        simulator.serverUrl(receiver.url(), WebhookCredential.hmac(SECRET)).outOfOrder(4);

    for (int i = 0; i < 4; i++) {
      courier.sendReport(simulator.data().addEndedCall(Instant.now(), Duration.ofMinutes(1)));
    }

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(receiver.received()).hasSize(4);
  }

  @Test
  void aLiveCall_pushesItsStatusesThenItsReport_andThePushedCallIsWhatGetCallReturnsAfterwards()
      throws Exception {
    Courier courier = simulator.serverUrl(receiver.url(), WebhookCredential.hmac(SECRET));
    LiveCalls live =
        simulator
            .liveCalls(courier)
            .timing(Duration.ZERO, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ZERO);

    SimulatedCall reported = live.playOne().get(10, TimeUnit.SECONDS);

    assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
    List<Received> arrived = receiver.received();
    assertThat(arrived)
        .extracting(Received::kind)
        .containsExactly("queued", "in-progress", "ended", "report");
    assertThat(arrived).extracting(Received::callId).containsOnly(reported.id());
    JsonNode pushed = JSON.readTree(arrived.get(3).body).at("/message/call");
    assertThat(pushed).isEqualTo(getCall(reported.id()));
    assertThat(pushed.get("cost").decimalValue()).isPositive();
    JsonNode listed = JSON.readTree(get("/call?limit=10"));
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0)).isEqualTo(pushed);
    List<Instant> updatedAt = new ArrayList<>();
    for (Received received : arrived) {
      updatedAt.add(
          Instant.parse(JSON.readTree(received.body).at("/message/call/updatedAt").asText()));
    }
    assertThat(updatedAt).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void givenLiveCallsStarted_calls_keepArrivingUntilTheSimulatorCloses() throws Exception {
    Courier courier = simulator.serverUrl(receiver.url(), WebhookCredential.bearer(ASCII_SECRET));
    LiveCalls live =
        simulator
            .liveCalls(courier)
            .timing(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO)
            .start(Duration.ofMillis(50));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (receiver.reports() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(receiver.reports()).isGreaterThanOrEqualTo(3);
    assertThat(live.begun()).isGreaterThanOrEqualTo(3);
    simulator.close();
    long after = live.begun();
    Thread.sleep(200);
    assertThat(live.begun()).isEqualTo(after);
  }

  // ---------------------------------------------------------------------------------------------

  private JsonNode getCall(String id) throws Exception {
    return JSON.readTree(get("/call/" + id));
  }

  private String get(String pathAndQuery) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(simulator.baseUri().resolve(pathAndQuery))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static String hmacHex(String secret, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(data));
  }

  /** One request the receiver got, as it arrived. */
  private record Received(Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }

    JsonNode message() {
      try {
        return JSON.readTree(body).get("message");
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    String callId() {
      return message().at("/call/id").asText();
    }

    /** "report", or the status a status update carries. */
    String kind() {
      JsonNode message = message();
      return message.get("type").asText().equals("end-of-call-report")
          ? "report"
          : message.get("status").asText();
    }
  }

  /** A server URL on loopback that keeps what it receives and answers a set status. */
  private static final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile int status = 200;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext(
          "/api/vapi/webhook/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(
                new Received(
                    Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8)));
            byte[] answer = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
          });
      server.start();
    }

    URI url() {
      return URI.create(
          "http://127.0.0.1:" + server.getAddress().getPort() + "/api/vapi/webhook/0123abcd");
    }

    void answer(int newStatus) {
      status = newStatus;
    }

    List<Received> received() {
      return List.copyOf(received);
    }

    Received only() {
      assertThat(received).hasSize(1);
      return received.peek();
    }

    long reports() {
      return received.stream().filter(r -> r.kind().equals("report")).count();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
