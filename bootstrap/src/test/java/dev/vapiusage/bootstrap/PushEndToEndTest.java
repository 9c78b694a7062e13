package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.persistence.PostgresTestDatabase;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.simulator.Courier;
import dev.vapiusage.simulator.Delivery;
import dev.vapiusage.simulator.ServerMessages;
import dev.vapiusage.simulator.SimulatedCall;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import dev.vapiusage.simulator.WebhookCredential;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Contract 9.4 over the server as {@code serve} wires it ({@link Settings}, {@link Wiring}), on
 * PostgreSQL and the embedded H2 database: the simulator delivers signed server messages to the
 * webhook URL the user reads from {@code GET /api/vapi/connect}, and the API's answers are compared
 * with the simulator's truth; on PostgreSQL also across two servers.
 */
class PushEndToEndTest {
  private static final String VAPI_KEY = "sk-push-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
  private static final ServerMessages MESSAGES = ServerMessages.withHeavyFields(true);

  /**
   * Each test's calls were created on a day of their own, so that a sync, which brings this whole
   * world into the user's store, adds nothing to the day a test reads.
   */
  private static final LocalDate SIGNATURE_DAY = TODAY.minusDays(10);

  private static final LocalDate DELIVERY_DAY = TODAY.minusDays(3);
  private static final LocalDate TWO_SERVERS_DAY = TODAY.minusDays(5);

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgreSql extends Scenarios {
    private PostgresTestDatabase.Target target;

    @Override
    Map<String, String> database() {
      target = PostgresTestDatabase.freshSchema();
      Map<String, String> variables = new HashMap<>();
      variables.put("DATABASE_URL", target.jdbcUrl());
      variables.put("DATABASE_SCHEMA", target.schema());
      variables.put("DATABASE_USER", target.user());
      variables.put("DATABASE_PASSWORD", target.password());
      return variables;
    }

    @Test
    void aReportAcceptedByServerA_showsInServerBsEventStreamWithinTwoSecondsAndInItsUsage()
        throws Exception {
      try (Server b = new Server(database, simulator)) {
        User user = newUser();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpRequest subscribe =
            HttpRequest.newBuilder(b.uri("/api/vapi/events"))
                .header("Authorization", "Bearer " + user.token)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> stream =
            HTTP.send(subscribe, HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> stream.body().forEach(events::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
          // The stream opens with the user's current version.
          assertThat(awaitEvent(events, Duration.ofSeconds(10))).isTrue();
          SimulatedCall call = endedCall(TWO_SERVERS_DAY, 0, Duration.ofSeconds(95));
          Courier courier =
              simulator.serverUrl(user.webhookUrl, WebhookCredential.hmac(user.secret));

          long sent = System.nanoTime();
          courier.sendReport(call);
          boolean changed = awaitEvent(events, Duration.ofSeconds(2));
          long tookMillis = (System.nanoTime() - sent) / 1_000_000;

          assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
          assertThat(courier.deliveries()).singleElement().matches(Delivery::accepted);
          assertThat(changed).as("event: usage on B within 2 s (took %d ms)", tookMillis).isTrue();
          JsonNode stored = b.json("GET", "/api/vapi/calls/" + call.id(), user.token);
          assertThat(stored.get("cost").decimalValue()).isEqualByComparingTo(call.cost());
          JsonNode usage = b.json("GET", usageQuery(TWO_SERVERS_DAY), user.token);
          assertThat(usage.at("/totals/calls").asLong()).isEqualTo(1);
          assertThat(usage.at("/totals/cost").decimalValue()).isEqualByComparingTo(call.cost());
        } finally {
          stream.body().close();
        }
      }
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnEmbeddedH2 extends Scenarios {
    @Override
    Map<String, String> database() throws Exception {
      return Map.of("DATA_DIR", Files.createTempDirectory("vapi-usage-push-").toString());
    }
  }

  /** The server as {@code serve} runs it, on a free port and without the background sync. */
  static final class Server implements AutoCloseable {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final VapiUsage vapiUsage;
    final VapiUsageHttp http;

    Server(Map<String, String> database, VapiSimulator simulator) {
      Map<String, String> variables = new HashMap<>(database);
      variables.put("ENCRYPTION_KEY", "a-push-test-secret-of-enough-length");
      variables.put("VAPI_BASE_URL", simulator.baseUri().toString());
      // Only these variables, never the environment's: a developer's DATABASE_URL stays out.
      Settings settings = new Settings(variables, ConfigOptions.fromEnvironment(variables));
      vapiUsage = Wiring.vapiUsage(settings, registry, SyncListener.NONE);
      http =
          vapiUsage
              .standaloneServer()
              .meterRegistry(registry)
              .prometheusText(registry::scrape)
              .build()
              .start("127.0.0.1", 0);
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    HttpResponse<String> call(String method, String path, String token, String body)
        throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri(path))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/json");
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, String token) throws Exception {
      HttpResponse<String> response = call(method, path, token, null);
      assertThat(response.statusCode())
          .as(method + " " + path + ": " + response.body())
          .isEqualTo(200);
      return JSON.readTree(response.body());
    }

    @Override
    public void close() {
      http.stop();
      vapiUsage.close();
    }
  }

  /** A connected user: their token, webhook URL and the webhook secret made for the test. */
  record User(String token, URI webhookUrl, String secret) {}

  abstract static class Scenarios {
    /** A world of each database's own, so that one run's calls never reach the other's sync. */
    final VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), VAPI_KEY);

    Map<String, String> database;
    Server server;

    /** The configuration variables that choose a fresh, empty database. */
    abstract Map<String, String> database() throws Exception;

    @BeforeAll
    void start() throws Exception {
      database = database();
      server = new Server(database, simulator);
    }

    @AfterAll
    void stop() {
      if (server != null) {
        server.close();
      }
      simulator.close();
    }

    /**
     * A new ended call in the simulator's world, created at noon (plus {@code minutes}) of the day.
     */
    SimulatedCall endedCall(LocalDate day, int minutes, Duration duration) {
      Instant created = day.atTime(12, 0).toInstant(ZoneOffset.UTC).plusSeconds(60L * minutes);
      return simulator.data().addEndedCall(created, duration);
    }

    User newUser() throws Exception {
      String token = server.vapiUsage.createUserToken(UserId.of("push-" + UUID.randomUUID()));
      HttpResponse<String> connected =
          server.call("POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + VAPI_KEY + "\"}");
      assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
      String webhookUrl = server.json("GET", "/api/vapi/connect", token).get("webhookUrl").asText();
      assertThat(webhookUrl)
          .matches("http://127\\.0\\.0\\.1:" + server.http.port() + "/api/vapi/webhook/\\S{22,}");
      String secret = server.json("POST", "/api/vapi/webhook/secret", token).get("secret").asText();
      return new User(token, URI.create(webhookUrl), secret);
    }

    @Test
    void eachSignatureForm_isAcceptedAndStoresTheCall() throws Exception {
      List<WebhookCredential.Kind> kinds = List.of(WebhookCredential.Kind.values());
      for (WebhookCredential.Kind kind : kinds) {
        User user = newUser();
        WebhookCredential credential =
            switch (kind) {
              case BEARER -> WebhookCredential.bearer(user.secret);
              case HMAC_TIMESTAMPED -> WebhookCredential.hmac(user.secret);
              case HMAC_BODY -> WebhookCredential.hmacOverBody(user.secret);
            };
        Courier courier = simulator.serverUrl(user.webhookUrl, credential);
        SimulatedCall call = endedCall(SIGNATURE_DAY, kind.ordinal(), Duration.ofSeconds(61));

        courier.sendReport(call);

        assertThat(courier.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(courier.deliveries())
            .as(kind.name())
            .singleElement()
            .satisfies(d -> assertThat(d.httpStatus()).isEqualTo(200));
        JsonNode stored = server.json("GET", "/api/vapi/calls/" + call.id(), user.token);
        assertThat(stored.get("status").asText()).isEqualTo("ended");
        assertThat(stored.get("cost").decimalValue()).isEqualByComparingTo(call.cost());
        courier.close();
      }
    }

    @Test
    void duplicatedAndReorderedMessages_giveTheSimulatorsTotals_andASyncChangesNothing()
        throws Exception {
      User user = newUser();
      Courier courier =
          simulator
              .serverUrl(user.webhookUrl, WebhookCredential.hmac(user.secret))
              .duplicates(true)
              .outOfOrder(24);
      Map<String, SimulatedCall> truth = new LinkedHashMap<>();
      int calls = 40;
      for (int i = 0; i < calls; i++) {
        SimulatedCall ended = endedCall(DELIVERY_DAY, i, Duration.ofSeconds(30 + 7L * i));
        SimulatedCall queued =
            new SimulatedCall(
                ended.id(),
                ended.orgId(),
                ended.type(),
                "queued",
                null,
                ended.createdAt(),
                ended.createdAt(),
                null,
                null,
                null,
                null,
                null,
                null);
        SimulatedCall inProgress =
            new SimulatedCall(
                ended.id(),
                ended.orgId(),
                ended.type(),
                "in-progress",
                null,
                ended.createdAt(),
                ended.startedAt(),
                ended.startedAt(),
                null,
                null,
                null,
                BigDecimal.ZERO,
                null);
        courier.sendStatus(queued);
        courier.sendStatus(inProgress);
        courier.sendStatus(ended);
        courier.sendReport(ended);
        SimulatedCall last = ended;
        if (i % 3 == 0) {
          // A late analysis charge: a second report, newer, with a higher cost.
          last =
              simulator
                  .data()
                  .recost(
                      ended.id(),
                      SimulatedCall.Costs.standard(Duration.ofSeconds(90 + 7L * i)),
                      ended.updatedAt().plusSeconds(60));
          courier.sendReport(last);
        }
        truth.put(last.id(), last);
      }
      courier.flush();
      assertThat(courier.awaitIdle(Duration.ofSeconds(60))).isTrue();
      List<Delivery> deliveries = courier.deliveries();
      long messages = calls * 4L + (calls + 2) / 3;
      assertThat(deliveries).hasSize((int) (2 * messages)).allMatch(Delivery::accepted);
      assertThat(reordered(deliveries)).as("some call's messages arrived out of order").isTrue();

      UsageMetrics expected = totalsOf(truth.values(), DELIVERY_DAY);
      assertTotals(server.json("GET", usageQuery(DELIVERY_DAY), user.token), expected);
      for (SimulatedCall call : truth.values()) {
        JsonNode stored = server.json("GET", "/api/vapi/calls/" + call.id(), user.token);
        assertThat(stored.get("status").asText()).as(call.id()).isEqualTo("ended");
        assertThat(stored.get("cost").decimalValue())
            .as(call.id())
            .isEqualByComparingTo(call.cost());
        assertThat(Instant.parse(stored.get("updatedAt").asText())).isEqualTo(call.updatedAt());
      }

      HttpResponse<String> synced = server.call("POST", "/api/vapi/sync", user.token, null);
      assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
      assertThat(JSON.readTree(synced.body()).get("status").asText()).isEqualTo("completed");
      assertTotals(server.json("GET", usageQuery(DELIVERY_DAY), user.token), expected);
      courier.close();
    }

    @Test
    void badlySignedOrMisaddressedMessages_answer401Or404_areCountedByReason_andStoreNothing()
        throws Exception {
      User alice = newUser();
      User bob = newUser();
      String unknownId = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 16);
      Map<String, Double> before = rejections(server.call("GET", "/metrics", null, null).body());
      List<String> sentCallIds = new ArrayList<>();
      long now = Instant.now().getEpochSecond();

      record Refused(
          String what, URI url, int status, String code, String[] headers, byte[] body) {}
      List<Refused> cases = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        // Never added to the simulator's world: a sync cannot store it either.
        SimulatedCall call =
            SimulatedCall.ended(
                "e2e-refused-" + UUID.randomUUID(),
                simulator.data().orgId(),
                Instant.now().minusSeconds(600),
                Duration.ofSeconds(40),
                null);
        sentCallIds.add(call.id());
        byte[] body = MESSAGES.endOfCallReport(call, Instant.now()).body();
        String t = Long.toString(now);
        String signed = hmac("HmacSHA256", alice.secret, t + "." + text(body));
        byte[] changed = body.clone();
        changed[changed.length / 2] ^= 0x01;
        URI url = alice.webhookUrl;
        switch (i) {
          case 0 ->
              cases.add(
                  new Refused(
                      "wrong Bearer secret",
                      url,
                      401,
                      "invalid_signature",
                      new String[] {"Authorization", "Bearer " + alice.secret + "x"},
                      body));
          case 1 ->
              cases.add(
                  new Refused(
                      "HMAC with a wrong secret",
                      url,
                      401,
                      "invalid_signature",
                      new String[] {
                        "x-signature",
                        hmac("HmacSHA256", "not-" + alice.secret, t + "." + text(body)),
                        "x-timestamp",
                        t
                      },
                      body));
          case 2 ->
              cases.add(
                  new Refused(
                      "HMAC-SHA1",
                      url,
                      401,
                      "invalid_signature",
                      new String[] {
                        "x-signature",
                        hmac("HmacSHA1", alice.secret, t + "." + text(body)),
                        "x-timestamp",
                        t
                      },
                      body));
          case 3 ->
              cases.add(
                  new Refused(
                      "HMAC-SHA512 over the bare body",
                      url,
                      401,
                      "invalid_signature",
                      new String[] {"x-signature", hmac("HmacSHA512", alice.secret, text(body))},
                      body));
          case 4 -> {
            String stale = Long.toString(now - 360);
            cases.add(
                new Refused(
                    "stale timestamp",
                    url,
                    401,
                    "invalid_signature",
                    new String[] {
                      "x-signature",
                      hmac("HmacSHA256", alice.secret, stale + "." + text(body)),
                      "x-timestamp",
                      stale
                    },
                    body));
          }
          case 5 -> {
            String future = Long.toString(now + 360);
            cases.add(
                new Refused(
                    "future timestamp",
                    url,
                    401,
                    "invalid_signature",
                    new String[] {
                      "x-signature",
                      hmac("HmacSHA256", alice.secret, future + "." + text(body)),
                      "x-timestamp",
                      future
                    },
                    body));
          }
          case 6 ->
              cases.add(
                  new Refused(
                      "a body changed by one byte",
                      url,
                      401,
                      "invalid_signature",
                      new String[] {"x-signature", signed, "x-timestamp", t},
                      changed));
          case 7 ->
              cases.add(
                  new Refused(
                      "a body changed by one byte, bare-body HMAC",
                      url,
                      401,
                      "invalid_signature",
                      new String[] {"x-signature", hmac("HmacSHA256", alice.secret, text(body))},
                      changed));
          case 8 ->
              cases.add(
                  new Refused(
                      "no credential at all", url, 401, "invalid_signature", new String[0], body));
          case 9 ->
              cases.add(
                  new Refused(
                      "a timestamp without a signature",
                      url,
                      401,
                      "invalid_signature",
                      new String[] {"x-timestamp", t},
                      body));
          case 10 ->
              cases.add(
                  new Refused(
                      "alice's message to bob's webhook",
                      bob.webhookUrl,
                      401,
                      "invalid_signature",
                      new String[] {"x-signature", signed, "x-timestamp", t},
                      body));
          default ->
              cases.add(
                  new Refused(
                      "an unknown webhook id",
                      alice.webhookUrl.resolve(unknownId),
                      404,
                      "not_found",
                      new String[] {"Authorization", "Bearer " + alice.secret},
                      body));
        }
      }

      for (Refused refused : cases) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(refused.url())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(refused.body()));
        for (int h = 0; h < refused.headers().length; h += 2) {
          request.header(refused.headers()[h], refused.headers()[h + 1]);
        }
        HttpResponse<String> answer =
            HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
            .as(refused.what() + ": " + answer.body())
            .isEqualTo(refused.status());
        assertThat(JSON.readTree(answer.body()).get("code").asText())
            .as(refused.what())
            .isEqualTo(refused.code());
      }

      for (String id : sentCallIds) {
        for (User user : List.of(alice, bob)) {
          assertThat(server.call("GET", "/api/vapi/calls/" + id, user.token, null).statusCode())
              .as("stored " + id)
              .isEqualTo(404);
        }
      }
      for (User user : List.of(alice, bob)) {
        assertThat(server.json("GET", usageQuery(TODAY), user.token).at("/totals/calls").asLong())
            .isZero();
      }
      Map<String, Double> after = rejections(server.call("GET", "/metrics", null, null).body());
      assertThat(delta(before, after, "invalid_signature")).isEqualTo(9);
      // Rightly signed but outside the 5-minute window: the stale and the future one.
      assertThat(delta(before, after, "stale_timestamp")).isEqualTo(2);
      assertThat(delta(before, after, "not_found")).isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------------------------------------

  static String usageQuery(LocalDate day) {
    return "/api/vapi/usage?startDate=" + day + "&endDate=" + day + "&timezone=UTC";
  }

  static UsageMetrics totalsOf(Iterable<SimulatedCall> calls, LocalDate day) {
    UsageAccumulator truth = new UsageAccumulator(new DateRange(day, day, ZoneOffset.UTC));
    calls.forEach(c -> truth.add(c.toCallRecord()));
    return truth.toMetrics();
  }

  static void assertTotals(JsonNode usage, UsageMetrics expected) {
    assertThat(usage.at("/totals/calls").asLong()).isEqualTo(expected.totals().calls());
    assertThat(usage.at("/totals/cost").decimalValue())
        .isEqualByComparingTo(expected.totals().costShown());
    assertThat(usage.at("/totals/minutes").decimalValue())
        .isEqualByComparingTo(expected.totals().minutesShown());
  }

  /** Whether some call's status update arrived after a newer message about that call. */
  static boolean reordered(List<Delivery> deliveries) {
    Map<String, Integer> reportSeen = new HashMap<>();
    for (Delivery delivery : deliveries) {
      if (delivery.isReport()) {
        reportSeen.put(delivery.callId(), 1);
      } else if (reportSeen.containsKey(delivery.callId())) {
        return true;
      }
    }
    return false;
  }

  /** Waits for the next {@code event: usage} line. */
  static boolean awaitEvent(BlockingQueue<String> lines, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        return false;
      }
      if (line.equals("event: usage")) {
        return true;
      }
    }
  }

  private static final Pattern REJECTED =
      Pattern.compile("^vapi_usage_webhook_rejected_total\\{reason=\"([a-z_]+)\",?\\} (\\S+)$");

  static Map<String, Double> rejections(String prometheus) {
    Map<String, Double> counts = new HashMap<>();
    for (String line : prometheus.split("\n")) {
      Matcher m = REJECTED.matcher(line);
      if (m.matches()) {
        counts.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    assertThat(counts).as("rejection counters in /metrics").containsKey("invalid_signature");
    return counts;
  }

  static long delta(Map<String, Double> before, Map<String, Double> after, String reason) {
    return Math.round(after.getOrDefault(reason, 0.0) - before.getOrDefault(reason, 0.0));
  }

  static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }

  static String hmac(String algorithm, String secret, String data) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
    return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }
}
