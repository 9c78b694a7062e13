package dev.vapiusage.adapter.http;

import static dev.vapiusage.adapter.http.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private final TestServer server = new TestServer();

  @AfterEach
  void stop() {
    server.close();
  }

  private TestServer.Response attempt(TestServer.User user, String... headers) {
    return server.send(
        "POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"sk-guess\"}", headers);
  }

  @Test
  void theEleventhConnectAttemptWithinAMinute_answersRateLimitedWithRetryAfter() {
    TestServer.User user = server.newUser();
    for (int i = 0; i < 10; i++) {
      assertError(attempt(user), 400, "invalid_api_key");
    }

    TestServer.Response refused = attempt(user);

    assertError(refused, 429, "rate_limited");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
  }

  @Test
  void forgingXForwardedFor_doesNotEscapeTheLimit() {
    TestServer.User user = server.newUser();
    for (int i = 0; i < 10; i++) {
      attempt(user, "X-Forwarded-For", "10.0.0." + i);
    }

    assertError(attempt(user, "X-Forwarded-For", "10.9.9.9"), 429, "rate_limited");
  }

  @Test
  void theLimit_isPerUser() {
    TestServer.User greedy = server.newUser();
    TestServer.User other = server.newUser();
    for (int i = 0; i < 11; i++) {
      attempt(greedy);
    }

    assertError(attempt(other), 400, "invalid_api_key");
  }

  @Test
  void attempts_comeBackAsTheMinutePasses() {
    TestServer.User user = server.newUser();
    for (int i = 0; i < 11; i++) {
      attempt(user);
    }

    server.clock.advance(Duration.ofSeconds(6));
    assertError(attempt(user), 400, "invalid_api_key");
    assertError(attempt(user), 429, "rate_limited");
    server.clock.advance(Duration.ofMinutes(1));
    for (int i = 0; i < 10; i++) {
      assertError(attempt(user), 400, "invalid_api_key");
    }
  }

  @Test
  void otherEndpoints_areNotLimitedByConnectAttempts() {
    TestServer.User user = server.newUser();
    for (int i = 0; i < 11; i++) {
      attempt(user);
    }

    assertThat(server.get("/api/vapi/connect", user.token()).status()).isEqualTo(200);
    assertThat(server.send("DELETE", "/api/vapi/connect", user.token(), null).status())
        .isEqualTo(200);
  }
}
