package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.testing.TestData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every log line of a busy session, failures included, is free of keys, tokens and session ids. */
class LogSecrecyTest {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private Level previousLevel;

  @BeforeEach
  void capture() {
    previousLevel = root.getLevel();
    root.setLevel(Level.DEBUG);
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void release() {
    root.detachAppender(appender);
    root.setLevel(previousLevel);
  }

  @Test
  void logLines_neverCarryAKeyATokenOrASessionId() {
    ApiKey key = ApiKey.of("sk-log-secret-0123456789abcdef");
    List<String> secrets = new ArrayList<>();
    try (TestServer server = new TestServer()) {
      server.vapi.calls.put(TestData.endedCall(Instant.parse("2024-02-14T09:00:00Z"), 60, "0.1"));
      server.vapi.calls.accept(key);
      TestServer.User user = server.newUser();
      String session = server.login(user);
      String csrf = server.csrfToken(session);
      secrets.addAll(List.of(key.reveal(), user.token(), session, csrf));

      server.send(
          "POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"" + key.reveal() + "\"}");
      server.send(
          "POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"" + key.reveal() + "-wrong\"}");
      server.get("/api/vapi/metrics", user.token());
      server.send("POST", "/api/vapi/sync", user.token(), null);
      server.send(
          "DELETE",
          "/api/vapi/connect",
          null,
          null,
          "Cookie",
          SessionCookie.NAME + "=" + session,
          "Origin",
          "https://evil.example");
      server.send("GET", "/api/vapi/usage?startDate=" + user.token(), user.token(), null);
      server.send("GET", "/no/" + user.token(), null, null);
      server.send(
          "POST",
          "/login",
          null,
          "token=" + user.token() + "x",
          "Content-Type",
          "application/x-www-form-urlencoded");
      server.send("GET", "/api/vapi/connect", user.token() + "x", null);
      server.vapi.calls.unavailable(true);
      server.send("POST", "/api/vapi/sync", user.token(), null);
      server.vapi.failUnexpectedly(new IllegalStateException("boom"));
      server.get("/api/vapi/metrics", user.token());
    }

    List<ILoggingEvent> events = new ArrayList<>(appender.list);
    assertThat(events).isNotEmpty();
    assertThat(events).anyMatch(e -> e.getLoggerName().endsWith(".access"));
    for (ILoggingEvent event : events) {
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
}
