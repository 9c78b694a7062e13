package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.testing.TestData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests against every endpoint, from a fixed seed so a failure replays:
 * random bytes, wrong JSON types, huge strings, bad dates and zones, garbage credentials. None may
 * answer a 5xx, every error must be the contract's JSON, and nothing stored may change.
 */
class FuzzTest {
  private static final long SEED = 20241125L;
  private static final int REQUESTS = 3000;
  private static final int RAW_REQUESTS = 300;
  private static final ApiKey KEY = ApiKey.of("sk-fuzz-secret-key-0123456789");

  private static TestServer server;
  private static TestServer.User connected;
  private static TestServer.User idle;
  private static String session;
  private static String csrf;
  private final Random random = new Random(SEED);

  @BeforeAll
  static void start() {
    // A generous connect limit, so the fuzzer reaches past the rate limiter into validation.
    server = new TestServer(1_000_000);
    server.vapi.calls.put(TestData.endedCall(Instant.parse("2024-02-14T09:00:00Z"), 60, "0.25"));
    connected = server.connectedUser(KEY);
    server.send("POST", "/api/vapi/sync", connected.token(), null);
    idle = server.newUser();
    session = server.login(connected);
    csrf = server.csrfToken(session);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** What may not change: both users' integrations and stored calls. */
  private record Snapshot(
      Optional<Integration> connectedIntegration,
      Optional<Integration> idleIntegration,
      int connectedCalls,
      int idleCalls) {
    static Snapshot take() {
      return new Snapshot(
          server.integrations.find(FuzzTest.connected.id()),
          server.integrations.find(FuzzTest.idle.id()),
          server.usage.count(FuzzTest.connected.id()),
          server.usage.count(FuzzTest.idle.id()));
    }
  }

  @Test
  void thousandsOfMalformedRequests_neverAnswer5xx_alwaysAnswerContractErrors_andChangeNothing() {
    Snapshot before = Snapshot.take();
    List<Supplier<HttpRequest>> generators =
        List.of(
            this::connectWithBadBody,
            this::syncWithBadBody,
            this::readWithBadQuery,
            this::anythingWithGarbageCredentials,
            this::cookieWriteFromNowhere,
            this::loginWithGarbage,
            this::randomPathAndMethod);
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();

    for (int i = 0; i < REQUESTS; i++) {
      HttpRequest request = generators.get(i % generators.size()).get();
      TestServer.Response response = server.send(request);
      statuses.merge(response.status(), 1, Integer::sum);

      String what = request.method() + " " + request.uri();
      assertThat(response.status()).as(what).isLessThan(500);
      assertThat(response.body())
          .as(what)
          .doesNotContain(KEY.reveal())
          .doesNotContain(connected.token());
      assertThat(response.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
      boolean loginPage = request.uri().getPath().equals("/login") && response.status() == 401;
      if (response.status() >= 400 && !loginPage) {
        assertThat(response.header("Content-Type")).as(what).startsWith("application/json");
        assertThat(response.json().size()).as(what).isEqualTo(2);
        assertThat(response.json().path("error").isTextual()).as(what).isTrue();
        assertThat(response.json().path("code").isTextual()).as(what).isTrue();
      }
    }

    System.out.println("Fuzzed statuses: " + statuses);
    assertThat(Snapshot.take()).isEqualTo(before);
    assertThat(statuses.keySet())
        .as("statuses seen %s", statuses)
        .contains(400, 401, 403, 404, 413);
  }

  @Test
  void randomBytesOnTheWire_getTheContractsJsonOrNothing() throws Exception {
    Snapshot before = Snapshot.take();
    int answered = 0;
    for (int i = 0; i < RAW_REQUESTS; i++) {
      byte[] request = rawRequest(i);
      RawHttp.Response response;
      try {
        response = RawHttp.send(server.server.port(), request);
      } catch (AssertionError closedWithoutAnswer) {
        continue;
      }
      answered++;
      String what =
          new String(request, 0, Math.min(80, request.length), StandardCharsets.ISO_8859_1);
      assertThat(response.status()).as(what).isLessThan(500);
      if (response.status() >= 400) {
        assertThat(response.hasHeader("Content-Type", "application/json")).as(what).isTrue();
        assertThat(Json.parse(response.body().getBytes(StandardCharsets.UTF_8)).has("code"))
            .as(what)
            .isTrue();
      }
    }
    // Jetty may close on bytes it cannot even frame as a request; most requests get an answer.
    assertThat(answered).isGreaterThan(RAW_REQUESTS / 2);
    assertThat(Snapshot.take()).isEqualTo(before);
  }

  private byte[] rawRequest(int i) {
    switch (i % 4) {
      case 0:
        return concat(
            randomBytes(1 + random.nextInt(200)), "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      case 1:
        return ("GET /api/vapi/usage?"
                + randomAscii(1 + random.nextInt(100)).replace(' ', '%')
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer "
                + connected.token()
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
      case 2:
        return concat(
            ("POST /api/vapi/connect HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + connected.token()
                    + "\r\nContent-Length: "
                    + random.nextInt(100)
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1),
            randomBytes(random.nextInt(120)));
      default:
        return ("GET /"
                + randomAscii(1 + random.nextInt(60)).replace(' ', '/')
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + randomAscii(5)
                + ": "
                + randomAscii(20)
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  // ---- generators of malformed requests through a well-behaved client ----

  private HttpRequest connectWithBadBody() {
    String[] shapes = {
      "{\"apiKey\":" + randomJsonNonString() + "}",
      "{\"apiKey\":\"" + "k".repeat(513 + random.nextInt(2000)) + "\"}",
      "{\"apiKey\":\"" + " ".repeat(random.nextInt(5)) + "\"}",
      "{\"apiKey\":\"" + randomAscii(10) + "\"",
      randomJsonNonObject(),
      "{\"key\":\"" + randomAscii(20).replace("\"", "") + "\"}",
    };
    byte[] body =
        random.nextInt(4) == 0
            ? randomBytes(random.nextInt(20_000))
            : shapes[random.nextInt(shapes.length)].getBytes(StandardCharsets.UTF_8);
    return authorized("POST", "/api/vapi/connect", body);
  }

  private HttpRequest syncWithBadBody() {
    String field = pick("startDate", "endDate");
    String[] shapes = {
      "{\"" + field + "\":" + randomJsonNonString() + "}",
      "{\"" + field + "\":\"" + badDate() + "\"}",
      "{\"startDate\":\"2024-02-10\",\"endDate\":\"2024-02-0" + (1 + random.nextInt(9)) + "\"}",
      "{\"startDate\":\"19" + (10 + random.nextInt(80)) + "-01-01\",\"endDate\":\"2024-01-01\"}",
      "{\"startDate\":\"2024-02-01\",\"timezone\":\"" + badZone() + "\"}",
      "{\"timezone\":" + randomJsonNonString() + "}",
      randomJsonNonObject(),
      "{\"startDate\":\"" + "9".repeat(17_000) + "\"}",
    };
    byte[] body =
        random.nextInt(4) == 0
            ? concat("x".getBytes(StandardCharsets.US_ASCII), randomBytes(random.nextInt(5000)))
            : shapes[random.nextInt(shapes.length)].getBytes(StandardCharsets.UTF_8);
    return authorized("POST", "/api/vapi/sync", body);
  }

  private HttpRequest readWithBadQuery() {
    String path =
        pick(
            "/api/vapi/metrics",
            "/api/vapi/usage",
            "/api/vapi/connect",
            "/api/vapi/calls",
            "/api/vapi/calls/export",
            "/api/vapi/usage/export");
    String query;
    switch (random.nextInt(7)) {
      case 0:
        query = "startDate=" + encode(badDate());
        break;
      case 1:
        query = "endDate=" + encode(badDate()) + "&startDate=2024-02-01";
        break;
      case 2:
        query = "timezone=" + encode(badZone());
        break;
      case 3:
        query = "startDate=2024-02-20&endDate=2024-02-0" + (1 + random.nextInt(9));
        break;
      case 4:
        query =
            pick("limit=", "cursor=", "format=", "type=", "limit=1&limit=")
                + encodeBytes(randomBytes(random.nextInt(60)));
        break;
      case 5:
        query = "cursor=" + encode(randomAscii(1 + random.nextInt(80)));
        break;
      default:
        query =
            encodeBytes(randomBytes(1 + random.nextInt(3000)))
                + "="
                + encodeBytes(randomBytes(random.nextInt(100)));
    }
    TestServer.User who = random.nextBoolean() ? connected : idle;
    return HttpRequest.newBuilder(URI.create(server.base + path + "?" + query))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + who.token())
        .GET()
        .build();
  }

  private HttpRequest anythingWithGarbageCredentials() {
    String method = pick("GET", "POST", "DELETE");
    String path =
        pick("/api/vapi/connect", "/api/vapi/metrics", "/api/vapi/sync", "/api/vapi/usage");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.base + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"sk-x\"}"));
    switch (random.nextInt(4)) {
      case 0:
        request.header("Authorization", "Bearer " + randomAscii(random.nextInt(300)));
        break;
      case 1:
        request.header("Authorization", randomAscii(1 + random.nextInt(100)));
        break;
      case 2:
        request.header(
            "Cookie", SessionCookie.NAME + "=" + randomAscii(random.nextInt(80)).replace(";", ""));
        break;
      default:
        request.header(
            "Authorization",
            "Bearer " + connected.token() + randomAscii(1 + random.nextInt(4)).trim() + "x");
    }
    return request.build();
  }

  private HttpRequest cookieWriteFromNowhere() {
    String path = pick("/api/vapi/connect", "/api/vapi/sync", "/logout");
    String method = path.equals("/api/vapi/connect") ? pick("POST", "DELETE") : "POST";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Cookie", SessionCookie.NAME + "=" + session)
            .method(method, HttpRequest.BodyPublishers.ofString("csrf=" + csrf));
    switch (random.nextInt(4)) {
      case 0:
        break;
      case 1:
        request.header(
            "Origin", pick("null", "https://evil.example", "http://127.0.0.1", randomAscii(30)));
        break;
      case 2:
        request.header("Referer", "https://evil.example/" + encode(randomAscii(20)));
        break;
      default:
        request
            .header("Origin", server.origin())
            .header("X-CSRF-Token", randomAscii(1 + random.nextInt(60)));
    }
    return request.build();
  }

  private HttpRequest loginWithGarbage() {
    byte[] body =
        random.nextBoolean()
            ? ("token=" + encode(randomAscii(random.nextInt(400)))).getBytes(StandardCharsets.UTF_8)
            : randomBytes(random.nextInt(20_000));
    return HttpRequest.newBuilder(URI.create(server.base + "/login"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private HttpRequest randomPathAndMethod() {
    String path = "/" + encode(randomAscii(1 + random.nextInt(40))).replace("%2F", "/");
    String method = pick("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    return HttpRequest.newBuilder(URI.create(server.base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(randomBytes(random.nextInt(50))))
        .build();
  }

  // ---- building blocks ----

  private HttpRequest authorized(String method, String path, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.base + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (random.nextBoolean()) {
      request.header(
          "Authorization", "Bearer " + (random.nextBoolean() ? connected : idle).token());
    } else {
      request
          .header("Cookie", SessionCookie.NAME + "=" + session)
          .header("Origin", server.origin())
          .header("X-CSRF-Token", csrf);
    }
    if (random.nextBoolean()) {
      request.header(
          "Content-Type",
          pick(
              "application/json",
              "text/plain",
              "application/x-www-form-urlencoded",
              randomAscii(10)));
    }
    return request.build();
  }

  private String randomJsonNonString() {
    return pick(
        "1",
        "-0.5e308",
        "true",
        "false",
        "[]",
        "[\"2024-02-01\"]",
        "{}",
        "{\"a\":1}",
        "1e999999",
        "12345678901234567890123");
  }

  private String randomJsonNonObject() {
    return pick(
        "",
        "null",
        "[]",
        "\"text\"",
        "42",
        "[{\"apiKey\":\"x\"}]",
        "{",
        "}",
        "{\"a\":}",
        "{'apiKey':'x'}",
        "[".repeat(5000),
        "{\"a\":".repeat(3000));
  }

  private String badDate() {
    return pick(
        "2024-02-30",
        "2024-13-01",
        "24-02-01",
        "2024/02/01",
        "2024-2-1",
        "20240201",
        "2024-02-01T00:00:00Z",
        "tomorrow",
        "+10000-01-01",
        "-0001-01-01",
        "+999999999-12-31",
        "0000-00-00",
        "2024-02-01x",
        "\u0000",
        randomAscii(1 + random.nextInt(30)) + "#");
  }

  private String badZone() {
    return pick(
        "Mars/Olympus",
        "UTC+25",
        "+99:00",
        "Europe/Nowhere",
        "../../etc/passwd",
        "GMT+-1",
        "\u00e9t\u00e9",
        randomAscii(1 + random.nextInt(40)) + "#");
  }

  private String pick(String... values) {
    return values[random.nextInt(values.length)];
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Printable ASCII: what an HTTP client lets through in a header. */
  private String randomAscii(int n) {
    StringBuilder text = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      text.append((char) (0x20 + random.nextInt(0x7f - 0x20)));
    }
    return text.toString();
  }

  private static String encode(String text) {
    return encodeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String encodeBytes(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
