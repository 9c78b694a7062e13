package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ApiKey;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The defects an attacker's run found, each pinned down: method override, Host, login guessing,
 * slow headers.
 */
class HardeningTest {
  private static final ApiKey KEY = ApiKey.of("sk-hardening-0123456789");

  @Test
  void aGetWithAMethodOverrideHeader_staysAGetAndDisconnectsNothing() {
    try (TestServer server = new TestServer()) {
      TestServer.User user = server.connectedUser(KEY);

      TestServer.Response response =
          server.send(
              "GET", "/api/vapi/connect", user.token(), null, "X-HTTP-Method-Override", "DELETE");
      TestServer.Response post =
          server.send(
              "POST", "/api/vapi/sync", user.token(), null, "X-HTTP-Method-Override", "DELETE");

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().path("connected").booleanValue()).isTrue();
      assertThat(post.status()).isEqualTo(200);
      assertThat(server.integrations.find(user.id()).orElseThrow().isConnected()).isTrue();
    }
  }

  @Test
  void aTokenInAnotherCase_signsNobodyIn_evenOnAConnectionThatSentTheRealOne() {
    try (TestServer server = new TestServer()) {
      TestServer.User user = server.connectedUser(KEY);
      // The test client keeps its connection open between requests, as browsers and proxies do.
      assertThat(server.get("/api/vapi/connect", user.token()).status()).isEqualTo(200);

      assertThat(
              server
                  .get("/api/vapi/connect", user.token().toUpperCase(java.util.Locale.ROOT))
                  .status())
          .isEqualTo(401);
      assertThat(
              server
                  .get("/api/vapi/connect", user.token().toLowerCase(java.util.Locale.ROOT))
                  .status())
          .isEqualTo(401);
      assertThat(
              server
                  .send(
                      "DELETE",
                      "/api/vapi/connect",
                      user.token().toUpperCase(java.util.Locale.ROOT),
                      null)
                  .status())
          .isEqualTo(401);
      assertThat(server.integrations.find(user.id()).orElseThrow().isConnected()).isTrue();
    }
  }

  @Test
  void aHostNameOutsideTheAllowList_isRefusedWith421InTheContractsShape_onEveryRoute() {
    try (TestServer server =
        new TestServer(b -> b.allowedHosts(Set.of("localhost", "127.0.0.1", "[::1]")))) {
      int port = server.server.port();
      for (String path :
          new String[] {"/health", "/login", "/api/vapi/connect", "/openapi.json", "/nowhere"}) {
        RawHttp.Response rebound =
            RawHttp.send(
                port,
                "GET "
                    + path
                    + " HTTP/1.1\r\nHost: attacker.example:"
                    + port
                    + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound.status()).as(path).isEqualTo(421);
        assertThat(rebound.hasHeader("Content-Type", "application/json")).as(path).isTrue();
        assertThat(rebound.body())
            .as(path)
            .contains("\"code\":\"invalid_request\"")
            .contains("ALLOWED_HOSTS");
      }
      for (String host : new String[] {"localhost", "127.0.0.1", "LOCALHOST", "[::1]"}) {
        RawHttp.Response own =
            RawHttp.send(
                port,
                "GET /health HTTP/1.1\r\nHost: "
                    + host
                    + ":"
                    + port
                    + "\r\nConnection: close\r\n\r\n");
        assertThat(own.status()).as(host).isEqualTo(200);
      }
    }
  }

  @Test
  void failedSignIns_areLimitedPerAddress_with429AndRetryAfter_whileOtherTokensStillSignIn() {
    try (TestServer server = new TestServer()) {
      TestServer.User user = server.newUser();
      int refused = 0;
      TestServer.Response last = null;
      for (int i = 0; i < LoginThrottle.FAILURES_PER_ADDRESS_PER_MINUTE + 5; i++) {
        last =
            server.send(
                "POST",
                "/login",
                null,
                "token=vu_guess" + i,
                "Content-Type",
                "application/x-www-form-urlencoded");
        if (last.status() == 429) {
          refused++;
        } else {
          assertThat(last.status()).isEqualTo(401);
        }
      }

      assertThat(refused).isEqualTo(5);
      assertThat(last.isContractError("rate_limited")).isTrue();
      assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);
      TestServer.Response browser =
          server.send(
              "POST",
              "/login",
              null,
              "token=vu_guess",
              "Content-Type",
              "application/x-www-form-urlencoded",
              "Accept",
              "text/html");
      assertThat(browser.status()).isEqualTo(429);
      assertThat(browser.body()).contains("Too many failed sign-ins");

      // The clock moves on: the address may try again, and the right token signs in.
      server.clock.advance(Duration.ofMinutes(1));
      assertThat(
              server
                  .send(
                      "POST",
                      "/login",
                      null,
                      "token=" + user.token(),
                      "Content-Type",
                      "application/x-www-form-urlencoded")
                  .status())
          .isEqualTo(303);
    }
  }

  @Test
  void guessesAtOneTokenPrefix_fromManyAddresses_areLimitedToo() {
    LoginThrottle throttle = new LoginThrottle(3, 5, java.time.Clock.systemUTC());
    int allowed = 0;
    for (int i = 0; i < 20; i++) {
      String address = "10.0.0." + i;
      try {
        throttle.check(address, "vu_AAAAAAAA" + i);
        throttle.failed(address, "vu_AAAAAAAA" + i);
        allowed++;
      } catch (RateLimitedException e) {
        assertThat(e.retryAfterSeconds()).isPositive();
      }
    }
    assertThat(allowed).isEqualTo(5);
    // Another prefix from a fresh address is not held up by them.
    throttle.check("10.0.1.1", "vu_BBBBBBBBx");
  }

  @Test
  void aClientThatTricklesItsHeaders_isCutOffAtTheHeaderDeadline() throws Exception {
    try (TestServer server = new TestServer(b -> b.headerReadTimeout(Duration.ofMillis(1500)))) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", server.server.port()), 5000);
        socket.setSoTimeout(200);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] request =
            "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                .getBytes(StandardCharsets.ISO_8859_1);
        long started = System.nanoTime();
        boolean closed = false;
        int sent = 0;
        // One byte every 200 ms never lets Jetty's idle timeout fire; the header deadline must.
        while (System.nanoTime() - started < Duration.ofSeconds(8).toNanos()) {
          try {
            out.write(
                request[sent % request.length] == '\n' ? 'x' : request[sent % request.length]);
            out.flush();
            sent++;
          } catch (java.io.IOException e) {
            closed = true;
            break;
          }
          try {
            if (in.read() < 0) {
              closed = true;
              break;
            }
          } catch (SocketTimeoutException e) {
            // Nothing to read yet: trickle on.
          } catch (java.io.IOException e) {
            closed = true;
            break;
          }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertThat(closed).as("closed after %d s", seconds).isTrue();
        assertThat(seconds).isLessThan(5);
      }
      // The server still answers everyone else.
      assertThat(server.get("/health", null).status()).isEqualTo(200);
    }
  }
}
