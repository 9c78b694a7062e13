package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.persistence.PostgresTestDatabase;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * An attacker's afternoon against the server as {@code serve} wires it (real Vapi client against
 * the simulator, real database, loopback HTTP): a few thousand seeded requests over every route and
 * method, with edge dates, keys a header cannot carry, method overrides, foreign Host names,
 * garbage credentials and bodies. No answer is a 5xx, every {@code /api/**} error is the contract's
 * JSON, no body names a class or a stack frame, no secret reaches a log line, and both users' data
 * are what they were.
 */
class HostileInputTest {
  private static final long SEED = 20261206L;
  private static final int REQUESTS = 2_400;
  private static final String VAPI_KEY = "sk-hostile-" + UUID.randomUUID();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Instant NOW = Instant.now();
  private static final LocalDate TODAY = LocalDate.ofInstant(NOW, ZoneId.of("UTC"));
  private static final Pattern LEAK =
      Pattern.compile(
          "Exception|\\bat [a-z]+\\.[a-z]|java\\.|dev\\.vapiusage|org\\.eclipse|io\\.javalin");
  private static VapiSimulator simulator;

  @BeforeAll
  static void startVapi() {
    Instant from =
        TODAY.withDayOfMonth(1).minusMonths(1).atStartOfDay(ZoneId.of("UTC")).toInstant();
    simulator =
        VapiSimulator.start(SimulatorData.generated(11, 400, from, NOW.minusSeconds(60)), VAPI_KEY);
  }

  @AfterAll
  static void stopVapi() {
    simulator.close();
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgreSql extends Attack {
    @Override
    VapiUsage.Builder open() {
      PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
      return VapiUsage.builder()
          .jdbcUrl(target.jdbcUrl(), target.user(), target.password())
          .databaseSchema(target.schema());
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnEmbeddedH2 extends Attack {
    @Override
    VapiUsage.Builder open() throws Exception {
      return VapiUsage.builder().embedded(Files.createTempDirectory("vapi-usage-hostile-"));
    }
  }

  abstract static class Attack {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Random random = new Random(SEED);
    private final List<String> secrets = new ArrayList<>();
    private final Logger jetty = (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
    private Level previousLevel;
    private Level previousJettyLevel;
    private VapiUsage vapiUsage;
    private VapiUsageHttp server;
    private String alice;
    private String bob;

    /** The product on a fresh, empty database, as the server opens it. */
    abstract VapiUsage.Builder open() throws Exception;

    @BeforeAll
    void start() throws Exception {
      previousLevel = root.getLevel();
      root.setLevel(Level.DEBUG);
      // Jetty's own DEBUG output prints raw request headers by design (the server's logback.xml
      // keeps Jetty at ERROR); what this test checks is what the product itself logs.
      previousJettyLevel = jetty.getLevel();
      jetty.setLevel(Level.INFO);
      logs.start();
      root.addAppender(logs);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      vapiUsage =
          open()
              .encryptionKey("a-hostile-input-test-secret-of-enough-length")
              .vapiBaseUrl(simulator.baseUri())
              .meterRegistry(registry)
              .build();
      server =
          vapiUsage
              .standaloneServer()
              .allowedHosts(Set.of("localhost", "127.0.0.1", "[::1]"))
              .meterRegistry(registry)
              .prometheusText(registry::scrape)
              .build()
              .start("127.0.0.1", 0);
      alice = vapiUsage.createUserToken(UserId.of("alice-" + UUID.randomUUID()));
      bob = vapiUsage.createUserToken(UserId.of("bob-" + UUID.randomUUID()));
      secrets.addAll(List.of(VAPI_KEY, alice, bob));
      for (String token : List.of(alice, bob)) {
        assertThat(
                call(
                        "POST",
                        "/api/vapi/connect",
                        token,
                        "{\"apiKey\":\"" + VAPI_KEY + "\"}",
                        Map.of())
                    .statusCode())
            .isEqualTo(200);
      }
      String month =
          "{\"startDate\":\""
              + TODAY.withDayOfMonth(1).minusMonths(1)
              + "\",\"endDate\":\""
              + TODAY
              + "\"}";
      assertThat(call("POST", "/api/vapi/sync", alice, month, Map.of()).statusCode())
          .isEqualTo(200);
    }

    @AfterAll
    void stop() {
      server.stop();
      vapiUsage.close();
      root.detachAppender(logs);
      root.setLevel(previousLevel);
      jetty.setLevel(previousJettyLevel);
    }

    /** What may not change: each user's connection, key hint and stored usage. */
    private List<String> snapshot() throws Exception {
      List<String> state = new ArrayList<>();
      String range = "?startDate=" + TODAY.withDayOfMonth(1).minusMonths(1) + "&endDate=" + TODAY;
      for (String token : List.of(alice, bob)) {
        JsonNode status =
            JSON.readTree(call("GET", "/api/vapi/connect", token, null, Map.of()).body());
        JsonNode usage =
            JSON.readTree(call("GET", "/api/vapi/usage" + range, token, null, Map.of()).body());
        state.add(
            status.path("connected").asText()
                + " "
                + status.path("keyHint").asText()
                + " "
                + usage.path("totals"));
      }
      return state;
    }

    @Test
    void thousandsOfHostileRequests_neverAnswer5xx_leakNothing_andChangeNoOnesData()
        throws Exception {
      List<String> before = snapshot();
      assertThat(before.get(0)).contains("true").doesNotContain("\"calls\":0");
      Map<Integer, Integer> statuses = new TreeMap<>();
      long started = System.nanoTime();

      for (int i = 0; i < REQUESTS; i++) {
        Exchange exchange = next(i);
        statuses.merge(exchange.status(), 1, Integer::sum);
        String what = exchange.what();
        assertThat(exchange.status()).as(what).isLessThan(500).isGreaterThan(0);
        assertThat(LEAK.matcher(exchange.body()).find())
            .as("%s answered %s", what, exchange.body())
            .isFalse();
        for (String secret : secrets) {
          assertThat(exchange.body()).as(what).doesNotContain(secret);
        }
        if (exchange.status() >= 400
            && exchange.path().startsWith("/api/")
            && !what.startsWith("HEAD ")) {
          assertThat(exchange.contentType()).as(what).startsWith("application/json");
          JsonNode error = JSON.readTree(exchange.body());
          assertThat(error.size()).as(what).isEqualTo(2);
          assertThat(error.path("error").isTextual()).as(what).isTrue();
          assertThat(error.path("code").textValue()).as(what).matches("[a-z_]+");
        }
      }

      System.out.printf(
          "Hostile statuses: %s in %d ms%n",
          statuses, Duration.ofNanos(System.nanoTime() - started).toMillis());
      assertThat(statuses.keySet()).contains(200, 400, 401, 404, 405, 421);
      assertThat(snapshot()).isEqualTo(before);
      for (ILoggingEvent event : List.copyOf(logs.list)) {
        String line =
            event.getFormattedMessage()
                + (event.getThrowableProxy() == null
                    ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
        for (String secret : secrets) {
          assertThat(line).as("log line %s", line).doesNotContain(secret);
        }
      }
    }

    @Test
    void everyEdgeDateTheContractAccepts_isAnsweredWithoutAskingVapiForAnImpossibleInstant()
        throws Exception {
      String[][] ranges = {
        {"9999-12-31", "9999-12-31"},
        {"9999-01-01", "9999-12-31"},
        {"0000-01-01", "0000-01-01"},
        {"0000-01-01", "0000-12-31"},
        {"0001-01-01", "0001-01-02"},
        {"1969-12-31", "1970-01-01"}
      };
      for (String zone : List.of("UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/New_York")) {
        for (String[] range : ranges) {
          String query =
              "?startDate="
                  + range[0]
                  + "&endDate="
                  + range[1]
                  + "&timezone="
                  + URLEncoder.encode(zone, StandardCharsets.UTF_8);
          String body =
              "{\"startDate\":\""
                  + range[0]
                  + "\",\"endDate\":\""
                  + range[1]
                  + "\",\"timezone\":\""
                  + zone
                  + "\"}";
          for (String[] request :
              new String[][] {
                {"GET", "/api/vapi/metrics" + query, null},
                {"GET", "/api/vapi/usage" + query, null},
                {"POST", "/api/vapi/sync", body}
              }) {
            HttpResponse<String> response = call(request[0], request[1], bob, request[2], Map.of());
            String what =
                request[0] + " " + request[1] + " " + (request[2] == null ? "" : request[2]);
            assertThat(response.statusCode())
                .as("%s answered %s", what, response.body())
                .isEqualTo(200);
            JsonNode json = JSON.readTree(response.body());
            assertThat(json.path("totals").path("calls").asInt(0)).as(what).isZero();
            if (request[0].equals("POST")) {
              assertThat(json.path("status").asText()).as(what).isEqualTo("completed");
            }
          }
        }
      }
      JsonNode status = JSON.readTree(call("GET", "/api/vapi/connect", bob, null, Map.of()).body());
      assertThat(status.path("lastSyncStatus").asText()).isEqualTo("completed");
      assertThat(simulator.requests()).noneMatch(r -> r.status() == 400);
    }

    @Test
    void keysAHeaderCannotCarry_areRefusedBeforeVapi_andNeverLogged() throws Exception {
      // A user of its own: the others' connect attempts are rate-limited by the attack test.
      String dave = vapiUsage.createUserToken(UserId.of("dave-" + UUID.randomUUID()));
      String carol = UUID.randomUUID().toString();
      String[] keys = {
        "…" + VAPI_KEY.substring(VAPI_KEY.length() - 4),
        VAPI_KEY + "\u200b",
        "\ufeff" + VAPI_KEY,
        VAPI_KEY + "\u0000",
        VAPI_KEY + "\u007f",
        VAPI_KEY + "\r\nX-Injected: 1",
        VAPI_KEY + "😀",
        "sk " + carol
      };
      long requestsBefore = simulator.requestCount();
      for (String key : keys) {
        HttpResponse<String> response =
            call(
                "POST",
                "/api/vapi/connect",
                dave,
                JSON.writeValueAsString(Map.of("apiKey", key)),
                Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("code").asText())
            .isIn("invalid_request", "invalid_api_key");
        assertThat(response.body()).doesNotContain(VAPI_KEY).doesNotContain(carol);
      }
      // Lone surrogates as JSON escapes: the JDK client would turn a raw one into '?' on the wire.
      String erin = vapiUsage.createUserToken(UserId.of("erin-" + UUID.randomUUID()));
      for (String escaped : List.of("\\ud800", "\\udc00", "\\u0000", "\\u2028")) {
        HttpResponse<String> response =
            call(
                "POST",
                "/api/vapi/connect",
                erin,
                "{\"apiKey\":\"sk-" + escaped + carol + "\"}",
                Map.of());
        assertThat(response.statusCode()).as(escaped + " " + response.body()).isEqualTo(400);
      }
      assertThat(
              simulator.requests().stream()
                  .skip(requestsBefore)
                  .map(r -> r.path() + " " + r.status())
                  .toList())
          .as("no key check reached Vapi")
          .isEmpty();
      HttpResponse<String> padded =
          call(
              "POST",
              "/api/vapi/connect",
              erin,
              "{\"apiKey\":\"  " + VAPI_KEY + "\\n\"}",
              Map.of());
      assertThat(padded.statusCode()).isEqualTo(200);
      for (ILoggingEvent event : List.copyOf(logs.list)) {
        String line =
            event.getFormattedMessage()
                + (event.getThrowableProxy() == null
                    ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
        assertThat(line).doesNotContain(VAPI_KEY).doesNotContain(carol);
      }
    }

    // ---- the attacker's requests ----

    private record Exchange(
        String what, String path, int status, String contentType, String body) {}

    private Exchange next(int i) throws Exception {
      switch (i % 9) {
        case 0:
          return edgeDateRead();
        case 1:
          return badKeyConnect();
        case 2:
          return methodOverride();
        case 3:
          return foreignHost();
        case 4:
          return garbageCredentials();
        case 5:
          return junkBody();
        case 6:
          return junkQuery();
        case 7:
          return randomRouteAndMethod();
        default:
          return loginGuess();
      }
    }

    private Exchange edgeDateRead() throws Exception {
      String path = pick("/api/vapi/metrics", "/api/vapi/usage");
      String start =
          pick("0000-01-01", "0001-01-01", "9999-12-31", "9999-02-28", "1970-01-01", "2024-02-29");
      String end = pick("0000-01-01", "0001-12-31", "9999-12-31", "1970-01-02", "2024-03-01");
      String zone =
          pick(
              "UTC",
              "Pacific/Kiritimati",
              "Etc/GMT+12",
              "Etc/GMT-14",
              "Z",
              "+18:00",
              "UTC+18",
              "GMT0",
              "SystemV/AST4",
              "Asia/Kolkata");
      return send(
          "GET",
          path
              + "?startDate="
              + start
              + "&endDate="
              + end
              + "&timezone="
              + URLEncoder.encode(zone, StandardCharsets.UTF_8),
          who(),
          null,
          Map.of());
    }

    private Exchange badKeyConnect() throws Exception {
      String key =
          pick(
              "…abcd",
              VAPI_KEY + "\u200b",
              "\ufeff" + VAPI_KEY,
              "k\u0000",
              "k\u007f",
              "a\r\nb",
              "\ud800",
              "\udc00x",
              "😀",
              "k".repeat(513),
              " ",
              "");
      return send(
          "POST",
          "/api/vapi/connect",
          bob,
          JSON.writeValueAsString(Map.of("apiKey", key)),
          Map.of());
    }

    private Exchange methodOverride() throws Exception {
      String path = pick("/api/vapi/connect", "/api/vapi/usage", "/health", "/dashboard");
      return send(
          "GET",
          path,
          who(),
          null,
          Map.of("X-HTTP-Method-Override", pick("DELETE", "POST", "PUT", "delete")));
    }

    private Exchange foreignHost() throws Exception {
      String path =
          pick("/api/vapi/connect", "/health", "/login", "/metrics", "/openapi.json", "/dashboard");
      String host =
          pick(
              "evil.example",
              "attacker.test:80",
              "127.0.0.1.nip.io",
              "localhost.evil.example",
              "10.0.0.1",
              "[::2]");
      String request =
          "GET "
              + path
              + " HTTP/1.0\r\nHost: "
              + host
              + "\r\nAuthorization: Bearer "
              + who()
              + "\r\nConnection: close\r\n\r\n";
      return raw(path, request);
    }

    private Exchange garbageCredentials() throws Exception {
      String path =
          pick("/api/vapi/connect", "/api/vapi/metrics", "/api/vapi/sync", "/api/vapi/usage");
      String token =
          pick(
              alice + "x",
              alice.substring(0, 10),
              "vu_" + randomAscii(43),
              "",
              "null",
              bob.toUpperCase());
      return send(pick("GET", "POST", "DELETE"), path, token, "{}", Map.of());
    }

    private Exchange junkBody() throws Exception {
      String path = pick("/api/vapi/connect", "/api/vapi/sync");
      String body =
          pick(
              "",
              "null",
              "[]",
              "{",
              "{\"apiKey\":1}",
              "{\"startDate\":[]}",
              "{\"startDate\":\"9999-12-31\",\"endDate\":\"0000-01-01\"}",
              "{\"startDate\":\"+10000-01-01\"}",
              "{\"timezone\":\"UTC+18\"}",
              "{\"startDate\":\"0000-01-01\",\"endDate\":\"0000-12-31\",\"timezone\":\"Etc/GMT-14\"}",
              randomAscii(random.nextInt(300)),
              "{\"a\":".repeat(2000));
      return send(
          "POST",
          path,
          who(),
          body,
          Map.of(
              "Content-Type",
              pick("application/json", "text/plain", "application/x-www-form-urlencoded")));
    }

    private Exchange junkQuery() throws Exception {
      String path = pick("/api/vapi/metrics", "/api/vapi/usage", "/api/vapi/connect");
      String query =
          pick(
              "startDate=%25ZZ",
              "startDate=" + URLEncoder.encode(randomAscii(20), StandardCharsets.UTF_8),
              "timezone=..%2F..%2Fetc%2Fpasswd",
              "startDate=2024-02-30",
              "endDate=-0001-01-01",
              "startDate=0000-01-01&endDate=0001-01-01");
      return send("GET", path + "?" + query, who(), null, Map.of());
    }

    private Exchange randomRouteAndMethod() throws Exception {
      String path =
          pick(
              "/api/vapi/connect",
              "/api/vapi/sync",
              "/api/vapi/usage",
              "/api/vapi/metrics",
              "/api/vapi/nothing",
              "/login",
              "/logout",
              "/dashboard/../api/vapi/connect",
              "/assets/..%2F..%2Fpom.xml",
              "/health",
              "/metrics",
              "/openapi.json",
              "/" + randomAscii(8).replaceAll("[^A-Za-z0-9]", "x"));
      String method = pick("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD");
      // A signed-in DELETE of the connection is a user's own right, not an attack: sent without a
      // token.
      String token = random.nextBoolean() && !method.equals("DELETE") ? who() : null;
      return send(method, path, token, random.nextBoolean() ? "{}" : null, Map.of());
    }

    private Exchange loginGuess() throws Exception {
      String token = pick(alice + "x", "vu_" + randomAscii(10), "", randomAscii(50));
      return send(
          "POST",
          "/login",
          null,
          "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
          Map.of("Content-Type", "application/x-www-form-urlencoded"));
    }

    // ---- plumbing ----

    private String who() {
      return random.nextBoolean() ? alice : bob;
    }

    private Exchange send(
        String method, String path, String token, String body, Map<String, String> headers)
        throws Exception {
      HttpResponse<String> response = call(method, path, token, body, headers);
      return new Exchange(
          method
              + " "
              + path
              + (body == null ? "" : " " + body.substring(0, Math.min(80, body.length()))),
          path,
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    }

    private HttpResponse<String> call(
        String method, String path, String token, String body, Map<String, String> headers)
        throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      headers.forEach(request::header);
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request the JDK client will not send (its own {@code Host}), over a plain socket. */
    private Exchange raw(String path, String request) throws IOException {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        String text = bytes.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
        int status = head.startsWith("HTTP/1.") ? Integer.parseInt(head.substring(9, 12)) : -1;
        String contentType = "";
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
            contentType = line.substring(13).trim();
          }
        }
        return new Exchange(
            "RAW "
                + request.lines().findFirst().orElse("")
                + " "
                + request.lines().skip(1).findFirst().orElse(""),
            path,
            status,
            contentType,
            body);
      }
    }

    private String pick(String... values) {
      return values[random.nextInt(values.length)];
    }

    private String randomAscii(int n) {
      StringBuilder text = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        text.append((char) (0x21 + random.nextInt(0x7e - 0x21)));
      }
      return text.toString();
    }
  }
}
