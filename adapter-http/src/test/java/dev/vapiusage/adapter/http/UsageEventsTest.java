package dev.vapiusage.adapter.http;

import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/vapi/events} over loopback, on the in-memory stores. */
class UsageEventsTest {
  private static final Duration HEARTBEAT = Duration.ofMillis(300);

  private final TestServer server =
      new TestServer(
          builder ->
              builder.eventTimings(new UsageEvents.Timings(Duration.ofMillis(50), HEARTBEAT)));
  private final List<Stream> streams = new ArrayList<>();

  @AfterEach
  void stop() {
    streams.forEach(Stream::close);
    server.close();
  }

  @Test
  void givenAnOpenStream_aStoredCall_sendsAUsageEventWithinTwoSeconds() throws Exception {
    TestServer.User user = server.newUser();
    Stream stream = open(user.token(), "Accept-Encoding", "gzip");

    assertThat(stream.response.statusCode()).isEqualTo(200);
    assertThat(stream.response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    assertThat(stream.response.headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(stream.response.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(stream.next(line -> !line.isEmpty(), Duration.ofSeconds(2)))
        .isEqualTo("retry: 1000");
    String first = stream.nextEvent(Duration.ofSeconds(2));

    long stored = System.nanoTime();
    server.usage.store(user.id(), List.of(endedCall(TestServer.NOW, 60, "0.10")));
    String next = stream.nextEvent(Duration.ofSeconds(2));

    assertThat(Duration.ofNanos(System.nanoTime() - stored)).isLessThan(Duration.ofSeconds(2));
    assertThat(first).startsWith("data: {\"version\":");
    assertThat(next).startsWith("data: {\"version\":").isNotEqualTo(first);
  }

  @Test
  void anotherUsersChange_sendsNoEvent() throws Exception {
    TestServer.User watcher = server.newUser();
    TestServer.User other = server.newUser();
    Stream stream = open(watcher.token());
    stream.nextEvent(Duration.ofSeconds(2));

    server.usage.store(other.id(), List.of(endedCall(TestServer.NOW, 60, "0.10")));

    assertThat(stream.next("event: usage"::equals, Duration.ofSeconds(1))).isNull();
  }

  @Test
  void aQuietStream_getsHeartbeatComments() throws Exception {
    Stream stream = open(server.newUser().token());
    stream.nextEvent(Duration.ofSeconds(2));

    assertThat(stream.next(": heartbeat"::equals, HEARTBEAT.multipliedBy(5))).isNotNull();
  }

  @Test
  void withoutAuthentication_theStreamIsRefused() {
    TestServer.Response response =
        server.send("GET", UsageEvents.ROUTE, null, null, "Accept", "text/event-stream");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.isContractError("unauthorized")).isTrue();
  }

  @Test
  void givenASignedInBrowser_theSessionCookieOpensTheStream() throws Exception {
    TestServer.User user = server.newUser();
    String session = server.login(user);

    Stream stream = open(null, "Cookie", SessionCookie.NAME + "=" + session);

    assertThat(stream.response.statusCode()).isEqualTo(200);
    assertThat(stream.nextEvent(Duration.ofSeconds(2))).startsWith("data: ");
  }

  @Test
  void closingTheClient_freesTheSubscription() throws Exception {
    Stream stream = open(server.newUser().token());
    stream.nextEvent(Duration.ofSeconds(2));
    assertThat(openStreams()).isEqualTo(1.0);

    stream.close();

    awaitOpenStreams(0.0, Duration.ofSeconds(3));
  }

  @Test
  void beyondTenStreamsOfOneUser_theNextIsRateLimited() throws Exception {
    TestServer.User user = server.newUser();
    for (int i = 0; i < UsageEvents.MAX_STREAMS_PER_USER; i++) {
      open(user.token()).nextEvent(Duration.ofSeconds(2));
    }

    TestServer.Response refused = server.get(UsageEvents.ROUTE, user.token());
    Stream another = open(server.newUser().token());

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.isContractError("rate_limited")).isTrue();
    assertThat(refused.header("Retry-After")).isNotNull();
    assertThat(another.response.statusCode()).isEqualTo(200);
  }

  @Test
  void stoppingTheServer_endsOpenStreamsPromptly() throws Exception {
    Stream stream = open(server.newUser().token());
    stream.nextEvent(Duration.ofSeconds(2));

    long started = System.nanoTime();
    server.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(stream.ended.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theEventsRoute_appearsInMetricsWithItsOpenStreams() throws Exception {
    open(server.newUser().token()).nextEvent(Duration.ofSeconds(2));

    String metrics = server.get("/metrics", null).body();

    assertThat(metrics).contains("http_server_event_streams 1.0");
  }

  private double openStreams() {
    return server.registry.get(UsageEvents.GAUGE).gauge().value();
  }

  private void awaitOpenStreams(double expected, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (openStreams() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(openStreams()).isEqualTo(expected);
  }

  private Stream open(String token, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.base + UsageEvents.ROUTE))
            .header("Accept", "text/event-stream")
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<InputStream> response =
        server.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    Stream stream = new Stream(response);
    streams.add(stream);
    return stream;
  }

  /** An open event stream whose lines a reader thread collects as they arrive. */
  private static final class Stream implements AutoCloseable {
    final HttpResponse<InputStream> response;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    Stream(HttpResponse<InputStream> response) {
      this.response = response;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // Closed by the test or by the server: the stream has ended either way.
                } finally {
                  ended.countDown();
                }
              },
              "sse-test-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The first line that matches within the time, skipping others; null when none came. */
    String next(Predicate<String> matching, Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
        if (line == null || matching.test(line)) {
          return line;
        }
      }
    }

    /** The data line of the next usage event. */
    String nextEvent(Duration within) throws InterruptedException {
      assertThat(next("event: usage"::equals, within)).as("an event: usage").isNotNull();
      return next(line -> line.startsWith("data:"), within);
    }

    @Override
    public void close() {
      try {
        response.body().close();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }
}
