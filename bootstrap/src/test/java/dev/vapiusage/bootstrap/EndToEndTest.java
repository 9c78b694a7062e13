package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.persistence.PostgresTestDatabase;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The product over real HTTP with every real adapter: Javalin, the Vapi client against the
 * simulator, and PostgreSQL or the embedded H2 database.
 */
class EndToEndTest {
  private static final String VAPI_KEY = "sk-e2e-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Instant NOW = Instant.now();
  private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneId.of("UTC"));
  private static VapiSimulator simulator;

  @BeforeAll
  static void startVapi() {
    Instant from =
        TODAY.withDayOfMonth(1).minusMonths(1).atStartOfDay(ZoneId.of("UTC")).toInstant();
    simulator =
        VapiSimulator.start(
            SimulatorData.generated(7, 3_000, from, NOW.minusSeconds(60)), VAPI_KEY);
  }

  @AfterAll
  static void stopVapi() {
    simulator.close();
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgreSql extends Scenarios {
    @Override
    String[] jdbc() {
      PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
      return new String[] {target.jdbcUrl(), target.user(), target.password(), target.schema()};
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnEmbeddedH2 extends Scenarios {
    @Override
    String[] jdbc() throws Exception {
      return new String[] {
        "jdbc:h2:" + Files.createTempDirectory("vapi-usage-e2e-").resolve("db"),
        null,
        null,
        Database.DEFAULT_SCHEMA
      };
    }
  }

  abstract static class Scenarios {
    private VapiUsage vapiUsage;
    private VapiUsageHttp server;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    private String[] jdbc;

    /** URL, user, password and DATABASE_SCHEMA of a fresh, empty database. */
    abstract String[] jdbc() throws Exception;

    @BeforeAll
    void start() throws Exception {
      logs.start();
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
      jdbc = jdbc();
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vapiUsage =
          VapiUsage.builder()
              .jdbcUrl(jdbc[0], jdbc[1], jdbc[2])
              .databaseSchema(jdbc[3])
              .encryptionKey("an-end-to-end-test-secret-of-enough-length")
              .vapiBaseUrl(simulator.baseUri())
              .meterRegistry(registry)
              .build();
      server =
          vapiUsage
              .standaloneServer()
              .meterRegistry(registry)
              .prometheusText(registry::scrape)
              .build()
              .start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
      server.stop();
      vapiUsage.close();
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private String newUser() {
      return vapiUsage.createUserToken(UserId.of("u-" + UUID.randomUUID()));
    }

    private HttpResponse<String> call(String method, String path, String token, String body)
        throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
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

    private static JsonNode json(HttpResponse<String> response) throws Exception {
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      return JSON.readTree(response.body());
    }

    @Test
    void aUser_connectsSyncsAndSeesTheSimulatorsTruth() throws Exception {
      String token = newUser();

      HttpResponse<String> wrong =
          call("POST", "/api/vapi/connect", token, "{\"apiKey\":\"sk-wrong\"}");
      assertThat(wrong.statusCode()).isEqualTo(400);
      assertThat(json(wrong).get("code").asText()).isEqualTo("invalid_api_key");
      assertThat(json(wrong).get("error").asText()).isEqualTo("Invalid API key");
      assertThat(json(call("GET", "/api/vapi/connect", token, null)).get("connected").asBoolean())
          .isFalse();

      HttpResponse<String> connected =
          call("POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + VAPI_KEY + "\"}");
      assertThat(connected.statusCode()).isEqualTo(200);
      assertThat(json(connected).get("connected").asBoolean()).isTrue();
      assertThat(json(connected).get("keyHint").asText())
          .isEqualTo("…" + VAPI_KEY.substring(VAPI_KEY.length() - 4));

      String range =
          "{\"startDate\":\""
              + TODAY.withDayOfMonth(1).minusMonths(1)
              + "\",\"endDate\":\""
              + TODAY
              + "\"}";
      HttpResponse<String> synced = call("POST", "/api/vapi/sync", token, range);
      assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
      assertThat(json(synced).get("status").asText()).isEqualTo("completed");
      assertThat(json(synced).get("syncedCalls").asLong()).isEqualTo(simulator.data().size());

      DateRange month =
          new DateRange(
              TODAY.withDayOfMonth(1).minusMonths(1), TODAY, ZoneId.of("America/New_York"));
      UsageAccumulator truth = new UsageAccumulator(month);
      simulator
          .data()
          .forEachCall(
              CallWindow.created(Instant.EPOCH, NOW.plusSeconds(3600)),
              c -> truth.add(c.toCallRecord()));
      UsageMetrics expected = truth.toMetrics();
      String query =
          "?startDate=" + month.start() + "&endDate=" + month.end() + "&timezone=America/New_York";

      JsonNode usage = json(call("GET", "/api/vapi/usage" + query, token, null));
      JsonNode live = json(call("GET", "/api/vapi/metrics" + query, token, null));
      for (JsonNode metrics : new JsonNode[] {usage, live}) {
        assertThat(metrics.at("/totals/calls").asLong()).isEqualTo(expected.totals().calls());
        assertThat(metrics.at("/totals/cost").decimalValue())
            .isEqualByComparingTo(expected.totals().costShown());
        assertThat(metrics.at("/totals/minutes").decimalValue())
            .isEqualByComparingTo(expected.totals().minutesShown());
        assertThat(metrics.get("daily")).hasSize(month.dayCount());
      }
      assertThat(usage.get("stale").asBoolean()).isFalse();
      assertThat(usage.get("lastSyncedAt").asText()).isNotBlank();

      // Syncing again changes nothing: totals never double.
      call("POST", "/api/vapi/sync", token, range);
      assertThat(
              json(call("GET", "/api/vapi/usage" + query, token, null))
                  .at("/totals/cost")
                  .decimalValue())
          .isEqualByComparingTo(expected.totals().costShown());
    }

    @Test
    void theKey_appearsInNoResponseNoLogLineAndNotInClearInTheDatabase() throws Exception {
      String token = newUser();
      StringBuilder everything = new StringBuilder();
      everything.append(
          call("POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + VAPI_KEY + "\"}").body());
      everything.append(call("GET", "/api/vapi/connect", token, null).body());
      everything.append(call("POST", "/api/vapi/sync", token, null).body());
      everything.append(call("GET", "/api/vapi/metrics", token, null).body());
      everything.append(call("GET", "/metrics", null, null).body());
      assertThat(everything.toString()).doesNotContain(VAPI_KEY).doesNotContain(token);
      for (ILoggingEvent event : logs.list) {
        assertThat(event.getFormattedMessage()).doesNotContain(VAPI_KEY).doesNotContain(token);
      }
      try (var connection = java.sql.DriverManager.getConnection(jdbc[0], jdbc[1], jdbc[2]);
          var statement = connection.createStatement();
          var rows = statement.executeQuery("SELECT * FROM vapi_integration")) {
        int columns = rows.getMetaData().getColumnCount();
        while (rows.next()) {
          for (int i = 1; i <= columns; i++) {
            assertThat(String.valueOf(rows.getObject(i))).doesNotContain(VAPI_KEY);
          }
        }
      }
    }

    @Test
    void userB_cannotReadOrChangeUserAsIntegration() throws Exception {
      String alice = newUser();
      String bob = newUser();
      call("POST", "/api/vapi/connect", alice, "{\"apiKey\":\"" + VAPI_KEY + "\"}");
      call("POST", "/api/vapi/sync", alice, null);

      assertThat(json(call("GET", "/api/vapi/connect", bob, null)).get("connected").asBoolean())
          .isFalse();
      assertThat(json(call("GET", "/api/vapi/usage", bob, null)).at("/totals/calls").asLong())
          .isZero();
      assertThat(call("POST", "/api/vapi/sync", bob, null).statusCode()).isEqualTo(409);
      call("DELETE", "/api/vapi/connect", bob, null);
      assertThat(json(call("GET", "/api/vapi/connect", alice, null)).get("connected").asBoolean())
          .isTrue();
    }

    @Test
    void disconnect_deletesTheKeyAndKeepsTheUsage() throws Exception {
      String token = newUser();
      call("POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + VAPI_KEY + "\"}");
      long calls = json(call("POST", "/api/vapi/sync", token, null)).get("syncedCalls").asLong();

      JsonNode status = json(call("DELETE", "/api/vapi/connect", token, null));
      assertThat(status.get("connected").asBoolean()).isFalse();
      assertThat(status.get("keyHint").isNull()).isTrue();
      assertThat(json(call("GET", "/api/vapi/metrics", token, null)).get("code").asText())
          .isEqualTo("not_connected");
      assertThat(calls).isPositive();
    }

    @Test
    void operationsEndpoints_answer() throws Exception {
      assertThat(json(call("GET", "/health", null, null)).get("status").asText()).isEqualTo("ok");
      HttpResponse<String> metrics = call("GET", "/metrics", null, null);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("http_server_requests");
      assertThat(json(call("GET", "/openapi.json", null, null)).get("openapi").asText())
          .startsWith("3.");
    }
  }
}
