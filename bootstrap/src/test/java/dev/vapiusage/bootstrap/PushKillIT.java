package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.adapter.persistence.PostgresTestDatabase;
import dev.vapiusage.simulator.Courier;
import dev.vapiusage.simulator.Delivery;
import dev.vapiusage.simulator.ServerMessages;
import dev.vapiusage.simulator.SimulatedCall;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import dev.vapiusage.simulator.WebhookCredential;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The server process killed (SIGKILL) while Vapi's end-of-call reports stream into its webhook:
 * after a restart, every report that was answered {@code 200} is stored (contract 9.4: the call is
 * stored in the transaction that accepts the message).
 */
class PushKillIT {
  private static final String SECRET = "push-kill-test-secret-0123456789abcdef";
  private static final String VAPI_KEY = "sk-push-kill-" + java.util.UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ServerMessages MESSAGES = ServerMessages.withHeavyFields(true);

  @Test
  void aServerKilledWhileReportsArrive_hasStoredEveryReportItAnswered200() throws Exception {
    PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), VAPI_KEY)) {
      Map<String, String> env = new HashMap<>();
      env.put("DATABASE_URL", target.jdbcUrl());
      env.put("DATABASE_SCHEMA", target.schema());
      if (target.user() != null) {
        env.put("DATABASE_USER", target.user());
      }
      if (target.password() != null) {
        env.put("DATABASE_PASSWORD", target.password());
      }
      env.put("ENCRYPTION_KEY", SECRET);
      env.put("VAPI_BASE_URL", simulator.baseUri().toString());
      int port = JarProcess.freePort();
      env.put("PORT", Integer.toString(port));

      JarProcess created = JarProcess.run(env, "users", "create", "pusher");
      assertThat(created.exitCode()).as(String.join("\n", created.err)).isZero();
      String token = created.lastOut();

      JarProcess server = serve(env);
      Courier courier;
      Instant killedAt;
      try {
        assertThat(
                http(port, "POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + VAPI_KEY + "\"}")
                    .statusCode())
            .isEqualTo(200);
        URI webhookUrl =
            URI.create(
                json(http(port, "GET", "/api/vapi/connect", token, null))
                    .get("webhookUrl")
                    .asText());
        String secret =
            json(http(port, "POST", "/api/vapi/webhook/secret", token, null))
                .get("secret")
                .asText();
        courier = simulator.serverUrl(webhookUrl, WebhookCredential.bearer(secret));

        // The reports' calls stay out of the simulator's world: only the webhook can store them.
        Set<String> sent = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender =
            new Thread(
                () -> {
                  while (sending.get()) {
                    SimulatedCall call =
                        SimulatedCall.ended(
                            simulator.data().newCallId(),
                            simulator.data().orgId(),
                            Instant.now().minusSeconds(600),
                            Duration.ofSeconds(45),
                            null);
                    sent.add(call.id());
                    courier.send(MESSAGES.endOfCallReport(call, Instant.now()));
                    try {
                      Thread.sleep(2);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "report-sender");
        sender.start();
        // Killed once the warmed-up server is answering steadily, with every lane's request open.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (courier.deliveries().stream().filter(Delivery::accepted).count() < 300
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        killedAt = Instant.now();
        server.process.destroyForcibly();
        assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(500);
        sending.set(false);
        sender.join(10_000);
        assertThat(courier.awaitIdle(Duration.ofSeconds(60))).isTrue();
      } finally {
        server.close();
      }

      List<Delivery> deliveries = courier.deliveries();
      assertThat(courier.deliveredCount())
          .as("all deliveries recorded")
          .isEqualTo(deliveries.size());
      Set<String> acknowledged =
          deliveries.stream()
              .filter(Delivery::accepted)
              .map(Delivery::callId)
              .collect(Collectors.toSet());
      long failed = deliveries.stream().filter(d -> d.httpStatus() == 0).count();
      assertThat(acknowledged).as("reports answered 200 before the kill").isNotEmpty();
      long openAtTheKill =
          deliveries.stream()
              .filter(d -> d.httpStatus() == 0 && d.sentAt().isBefore(killedAt))
              .count();
      assertThat(openAtTheKill).as("requests under way when the server was killed").isPositive();
      assertThat(failed).as("reports refused by the killed server").isPositive();
      assertThat(deliveries)
          .as("no answer but 200 or none")
          .allMatch(d -> d.accepted() || d.httpStatus() == 0);

      try (JarProcess restarted = serve(env)) {
        Set<String> stored = storedCallIds(port, token);
        assertThat(stored).as("stored calls that were never sent").isSubsetOf(sentIds(deliveries));
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertThat(lost).as("reports answered 200 but not stored").isEmpty();
        System.out.printf(
            "reports sent: %d; answered 200: %d; no answer: %d (%d under way at the kill);"
                + " stored after the restart: %d%n",
            deliveries.size(), acknowledged.size(), failed, openAtTheKill, stored.size());
      }
    }
  }

  private static Set<String> sentIds(List<Delivery> deliveries) {
    return deliveries.stream().map(Delivery::callId).collect(Collectors.toSet());
  }

  /** Every stored call of the last two days, following the list's cursors. */
  private static Set<String> storedCallIds(int port, String token) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String query =
        "/api/vapi/calls?startDate="
            + today.minusDays(1)
            + "&endDate="
            + today
            + "&timezone=UTC&limit=500";
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      String path =
          cursor == null
              ? query
              : query + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
      HttpResponse<String> page = http(port, "GET", path, token, null);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode body = json(page);
      body.get("calls").forEach(c -> ids.add(c.get("id").asText()));
      cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
    } while (cursor != null);
    Set<String> unique = new HashSet<>(ids);
    assertThat(unique).as("each call listed once").hasSize(ids.size());
    return unique;
  }

  private static JarProcess serve(Map<String, String> env) throws Exception {
    JarProcess server = JarProcess.start(env, "serve");
    server.awaitLine(line -> line.contains("listening on"), Duration.ofSeconds(60));
    return server;
  }

  private static HttpResponse<String> http(
      int port, String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
