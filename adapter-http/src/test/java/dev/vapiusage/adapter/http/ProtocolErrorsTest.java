package dev.vapiusage.adapter.http;

import static dev.vapiusage.adapter.http.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.domain.testing.TestData;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests that go wrong below the API: unknown routes, bad HTTP, oversized parts, crashes. */
class ProtocolErrorsTest {
  private static TestServer server;
  private static TestServer.User user;

  @BeforeAll
  static void start() {
    server = new TestServer();
    user = server.newUser();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertRawContractError(RawHttp.Response response, int status, String code)
      throws Exception {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.hasHeader("Content-Type", "application/json"))
        .as(response.headers())
        .isTrue();
    assertThat(response.hasHeader("X-Content-Type-Options", "nosniff"))
        .as(response.headers())
        .isTrue();
    JsonNode body = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.size()).isEqualTo(2);
    assertThat(body.get("error").isTextual()).isTrue();
    assertThat(body.get("code").textValue()).isEqualTo(code);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/nope",
        "/api/vapi",
        "/api/vapi/unknown",
        "/api/vapi/connect/extra",
        "/dashboard/nope"
      })
  void anUnknownPath_answersNotFoundInTheContractsJson(String path) {
    assertError(server.get(path, user.token()), 404, "not_found");
    assertError(server.get(path, null), 404, "not_found");
  }

  @Test
  void aKnownPathWithAnotherMethod_answers405InTheContractsJsonWithAllow() {
    TestServer.Response response = server.send("PUT", "/api/vapi/connect", user.token(), "{}");

    assertError(response, 405, "invalid_request");
    assertThat(response.header("Allow")).contains("GET").contains("POST").contains("DELETE");
    assertError(server.send("PATCH", "/api/vapi/sync", user.token(), "{}"), 405, "invalid_request");
    assertError(server.send("DELETE", "/health", null, null), 405, "invalid_request");
  }

  @Test
  void aBodyOver16Kilobytes_answersPayloadTooLarge() {
    String body = "{\"apiKey\":\"" + "k".repeat(17 * 1024) + "\"}";

    assertError(
        server.send("POST", "/api/vapi/connect", user.token(), body), 413, "payload_too_large");
    assertError(
        server.send("POST", "/api/vapi/sync", user.token(), body), 413, "payload_too_large");
    assertError(
        server.send("POST", "/login", null, "token=" + "x".repeat(20_000)),
        413,
        "payload_too_large");
    assertError(server.send("POST", "/api/vapi/connect", null, body), 413, "payload_too_large");
  }

  @Test
  void aChunkedBodyOver16KilobytesWithoutLength_answersPayloadTooLarge() {
    TestServer.User connected = server.connectedUser(TestData.anyApiKey());
    byte[] big =
        ("{\"startDate\":\"" + " ".repeat(40_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.base + "/api/vapi/sync"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + connected.token())
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
            .build();

    assertError(server.send(request), 413, "payload_too_large");
  }

  @Test
  void aBodyOfExactly16Kilobytes_isRead() {
    String prefix = "{\"apiKey\":\"";
    String body = prefix + "k".repeat(16 * 1024 - prefix.length() - 2) + "\"}";
    assertThat(body.length()).isEqualTo(16 * 1024);

    assertError(
        server.send("POST", "/api/vapi/connect", user.token(), body), 400, "invalid_request");
  }

  @Test
  void headersOverJettysLimit_answerTheContractsJson() throws Exception {
    RawHttp.Response response =
        RawHttp.send(
            server.server.port(),
            "GET /api/vapi/connect HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\n\r\n");

    assertRawContractError(response, 431, "payload_too_large");
  }

  @Test
  void aMalformedRequestLine_answersTheContractsJson() throws Exception {
    assertRawContractError(
        RawHttp.send(server.server.port(), "GARBAGE\r\n\r\n"), 400, "invalid_request");
    assertRawContractError(
        RawHttp.send(
            server.server.port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n"),
        400,
        "invalid_request");
  }

  @Test
  void anHttp11RequestWithoutHost_answersTheContractsJson() throws Exception {
    assertRawContractError(
        RawHttp.send(server.server.port(), "GET /health HTTP/1.1\r\n\r\n"), 400, "invalid_request");
  }

  @Test
  void aBrokenPercentEscapeInTheQuery_answersBadRequestNotA500() throws Exception {
    RawHttp.Response response =
        RawHttp.send(
            server.server.port(),
            "GET /api/vapi/usage?startDate=%zz&timezone=%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + user.token()
                + "\r\nConnection: close\r\n\r\n");

    assertThat(response.status()).isBetween(400, 499);
    assertRawContractError(response, response.status(), "invalid_request");
  }

  @Test
  void aBrokenPercentEscapeInThePath_answersTheContractsJson() throws Exception {
    RawHttp.Response response =
        RawHttp.send(
            server.server.port(),
            "GET /api/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

    assertThat(response.status()).isBetween(400, 499);
    assertThat(response.hasHeader("Content-Type", "application/json")).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/..;/health",
        "/%2e%2e/health",
        "/api/vapi/../vapi/connect",
        "//health",
        "/api/vapi/connect;jsessionid=x",
        "/%00",
        "/%C0%AF",
        "/assets/%2e%2e%2fopenapi.json",
        "*",
        "http://evil.example/health"
      })
  void oddRequestTargets_answerWithoutA5xx_andErrorsInTheContractsJson(String target)
      throws Exception {
    RawHttp.Response response =
        RawHttp.send(
            server.server.port(),
            "GET "
                + target
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + user.token()
                + "\r\nConnection: close\r\n\r\n");

    assertThat(response.status()).as(target).isLessThan(500);
    assertThat(response.hasHeader("X-Content-Type-Options", "nosniff")).as(target).isTrue();
    if (response.status() >= 400) {
      assertThat(response.hasHeader("Content-Type", "application/json"))
          .as(target + " " + response)
          .isTrue();
      assertThat(Json.parse(response.body().getBytes(StandardCharsets.UTF_8)).has("code")).isTrue();
    }
  }

  @Test
  void aMalformedChunkedBody_answersBadRequest() throws Exception {
    RawHttp.Response response =
        RawHttp.send(
            server.server.port(),
            "POST /api/vapi/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + user.token()
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.hasHeader("Content-Type", "application/json")).isTrue();
  }

  @Test
  void anUnexpectedFailure_answersInternalErrorWithoutLeakingItsMessage() {
    try (TestServer crashing = new TestServer()) {
      TestServer.User connected = crashing.connectedUser(TestData.anyApiKey());
      crashing.vapi.failUnexpectedly(
          new IllegalStateException("secret-internal-detail at db.example:5432"));

      TestServer.Response response = crashing.get("/api/vapi/metrics", connected.token());

      assertError(response, 500, "internal_error");
      assertThat(response.body())
          .doesNotContain("secret-internal-detail")
          .doesNotContain("IllegalStateException")
          .doesNotContain("at dev.");
    }
  }

  @Test
  void theMethodOverrideHeaderIsIgnored_aGetStaysARead() {
    String session = server.login(server.newUser());

    TestServer.Response response =
        server.send(
            "GET",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            SessionCookie.NAME + "=" + session,
            "X-HTTP-Method-Override",
            "DELETE");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().has("connected")).isTrue();
  }
}
