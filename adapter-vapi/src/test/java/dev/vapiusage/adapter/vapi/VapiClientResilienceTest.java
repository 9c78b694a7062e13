package dev.vapiusage.adapter.vapi;

import static dev.vapiusage.adapter.vapi.TestSupport.KEY;
import static dev.vapiusage.adapter.vapi.TestSupport.KEY_TEXT;
import static dev.vapiusage.adapter.vapi.TestSupport.assertExactlyOnce;
import static dev.vapiusage.adapter.vapi.TestSupport.client;
import static dev.vapiusage.adapter.vapi.TestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.adapter.vapi.TestSupport.Listing;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.Faults;
import dev.vapiusage.simulator.RecordedRequest;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class VapiClientResilienceTest {
  private static final Instant FROM = Instant.parse("2026-07-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-07-03T00:00:00Z");
  private static final CallWindow WINDOW = CallWindow.created(FROM, TO);

  @Test
  void
      givenRateLimitsAndServerErrors_stream_deliversEveryCallOnceAndNeverRetriesBeforeRetryAfter() {
    SimulatorData data = SimulatorData.generated(23, 20_000, FROM, TO);
    Faults faults =
        Faults.none()
            .withRateLimited(0.30, Duration.ofSeconds(1), Faults.RetryAfterStyle.MIXED)
            .withServerErrors(0.10)
            .withSeed(42);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT).faults(faults)) {
      VapiClient client =
          new VapiClient(
              config(simulator)
                  .withRetry(
                      30, Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofSeconds(60)));
      Listing listing = new Listing();

      client.stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
      List<Integer> statuses =
          simulator.requests().stream().map(RecordedRequest::status).collect(Collectors.toList());
      assertThat(statuses).contains(429, 500, 200);
      assertThat(simulator.retryAfterViolations()).isEmpty();
    }
  }

  @Test
  void givenRejectedKey_stream_sendsExactlyOneRequestAndFailsWithInvalidKey() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.generated(1, 100, FROM, TO), "another-key")) {
      assertFailsWith(
          ErrorCode.INVALID_API_KEY, () -> client(simulator).stream(KEY, WINDOW, new Listing()));

      assertThat(simulator.requestCount()).isEqualTo(1);
      assertThat(simulator.requests().get(0).status()).isEqualTo(401);
    }
  }

  @Test
  void givenForbiddenKey_stream_sendsExactlyOneRequestAndFailsWithInvalidKey() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT).failNext(1, 403)) {
      assertFailsWith(
          ErrorCode.INVALID_API_KEY, () -> client(simulator).stream(KEY, WINDOW, new Listing()));

      assertThat(simulator.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void givenBodyStallingMidway_stream_endsWithinTheDeadline() {
    SimulatorData data = SimulatorData.generated(2, 300, FROM, TO);
    try (VapiSimulator simulator =
        VapiSimulator.start(data, KEY_TEXT).faults(Faults.none().withStalledBodies(1.0))) {
      VapiClient client =
          new VapiClient(
              config(simulator)
                  .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(400))
                  .withRetry(
                      1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(5)));
      long start = System.nanoTime();

      assertFailsWith(ErrorCode.VAPI_UNAVAILABLE, () -> client.stream(KEY, WINDOW, new Listing()));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(simulator.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void givenBodiesThatAlwaysStall_stream_givesUpWhenTheRetryBudgetEnds() {
    SimulatorData data = SimulatorData.generated(2, 300, FROM, TO);
    try (VapiSimulator simulator =
        VapiSimulator.start(data, KEY_TEXT).faults(Faults.none().withStalledBodies(1.0))) {
      VapiClient client =
          new VapiClient(
              config(simulator)
                  .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300))
                  .withRetry(
                      50, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(1_200)));
      long start = System.nanoTime();

      assertFailsWith(ErrorCode.VAPI_UNAVAILABLE, () -> client.stream(KEY, WINDOW, new Listing()));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(simulator.requestCount()).isBetween(2L, 8L);
    }
  }

  @Test
  void givenHeadersThatNeverCome_stream_endsWithinTheDeadline() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)
            .faults(Faults.none().withDelays(1.0, Duration.ofSeconds(30)))) {
      VapiClient client =
          new VapiClient(
              config(simulator)
                  .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300))
                  .withRetry(
                      1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(5)));
      long start = System.nanoTime();

      assertFailsWith(ErrorCode.VAPI_UNAVAILABLE, () -> client.stream(KEY, WINDOW, new Listing()));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void givenTruncatedOrMalformedBodies_stream_retriesAndDeliversEveryCallOnce() {
    SimulatorData data = SimulatorData.generated(29, 5_000, FROM, TO);
    Faults faults = Faults.none().withTruncatedBodies(0.25).withMalformedBodies(0.25).withSeed(9);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT).faults(faults)) {
      Listing listing = new Listing();

      new VapiClient(
              config(simulator)
                  .withRetry(
                      30, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(30)))
          .stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
      assertThat(simulator.requestCount()).isGreaterThan(listing.batchSizes().size());
    }
  }

  @Test
  void givenBodiesAlwaysTruncated_stream_failsWithoutDeliveringAPartialPage() {
    SimulatorData data = SimulatorData.generated(31, 500, FROM, TO);
    try (VapiSimulator simulator =
        VapiSimulator.start(data, KEY_TEXT).faults(Faults.none().withTruncatedBodies(1.0))) {
      Listing listing = new Listing();

      assertFailsWith(
          ErrorCode.VAPI_UNAVAILABLE,
          () ->
              new VapiClient(
                      config(simulator)
                          .withRetry(
                              3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofSeconds(5)))
                  .stream(KEY, WINDOW, listing));

      assertThat(listing.calls()).isEmpty();
      assertThat(simulator.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void givenServerErrorsThatNeverEnd_stream_failsWithVapiUnavailableWithinTheBudget() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)
            .faults(Faults.none().withServerErrors(1.0))) {
      VapiClient client =
          new VapiClient(
              config(simulator)
                  .withRetry(
                      100, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(800)));
      long start = System.nanoTime();

      assertFailsWith(ErrorCode.VAPI_UNAVAILABLE, () -> client.stream(KEY, WINDOW, new Listing()));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      assertThat(simulator.requestCount()).isGreaterThan(2);
    }
  }

  @Test
  void givenRetryAfterBeyondTheBudget_stream_failsAtOnceInsteadOfWaiting() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)
            .faults(
                Faults.none()
                    .withRateLimited(
                        1.0, Duration.ofSeconds(30), Faults.RetryAfterStyle.SECONDS))) {
      VapiClient client =
          new VapiClient(
              config(simulator)
                  .withRetry(
                      10, Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(5)));
      long start = System.nanoTime();

      assertFailsWith(ErrorCode.VAPI_UNAVAILABLE, () -> client.stream(KEY, WINDOW, new Listing()));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(simulator.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void givenRateLimitWithoutRetryAfter_stream_backsOffAndSucceeds() {
    SimulatorData data = SimulatorData.generated(37, 800, FROM, TO);
    try (VapiSimulator simulator =
        VapiSimulator.start(data, KEY_TEXT)
            .faults(
                Faults.none()
                    .withRateLimited(0.5, Duration.ZERO, Faults.RetryAfterStyle.NONE)
                    .withSeed(3))) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
    }
  }

  @Test
  void givenBadRequest_stream_failsWithoutRetrying() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT).failNext(1, 400)) {
      assertFailsWith(
          ErrorCode.VAPI_UNAVAILABLE, () -> client(simulator).stream(KEY, WINDOW, new Listing()));

      assertThat(simulator.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void givenTransientFailuresThenSuccess_stream_retriesThroughThem() {
    SimulatorData data = SimulatorData.generated(41, 300, FROM, TO);
    try (VapiSimulator simulator =
        VapiSimulator.start(data, KEY_TEXT).failNext(1, 503).failNext(1, 408).failNext(1, 502)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
      assertThat(simulator.requestCount()).isEqualTo(4);
    }
  }

  @Test
  void givenUnreachableVapi_stream_failsWithVapiUnavailable() {
    URI closed;
    VapiClientConfig settings;
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)) {
      closed = simulator.baseUri();
      settings = config(simulator);
    }
    VapiClient client =
        new VapiClient(
            settings
                .withBaseUri(closed)
                .withRetry(3, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(2)));

    assertFailsWith(ErrorCode.VAPI_UNAVAILABLE, () -> client.stream(KEY, WINDOW, new Listing()));
  }

  @Test
  void givenVapiFailingPartway_stream_leavesTheDeliveredBatchesValid() {
    SimulatorData data = SimulatorData.generated(43, 10_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      VapiClient client =
          new VapiClient(
              config(simulator)
                  .withRetry(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofSeconds(2)));
      Listing listing = new Listing();

      assertFailsWith(
          ErrorCode.VAPI_UNAVAILABLE,
          () ->
              client.stream(
                  KEY,
                  WINDOW,
                  batch -> {
                    listing.accept(batch);
                    if (listing.batchSizes().size() == 3) {
                      simulator.faults(Faults.none().withServerErrors(1.0));
                    }
                  }));

      Set<CallRecord> truth = new HashSet<>(TestSupport.truth(data, WINDOW));
      assertThat(listing.batchSizes()).hasSize(3);
      assertThat(listing.duplicateIds()).isEmpty();
      assertThat(truth).containsAll(listing.calls());
    }
  }

  @Test
  void givenAFailingConsumer_stream_passesItsExceptionThroughUnchanged() {
    SimulatorData data = SimulatorData.generated(47, 300, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      IllegalStateException storeFailure = new IllegalStateException("database is down");

      assertThatThrownBy(
              () ->
                  client(simulator).stream(
                      KEY,
                      WINDOW,
                      batch -> {
                        throw storeFailure;
                      }))
          .isSameAs(storeFailure);
      assertThat(simulator.requestCount()).as("a consumer failure is not retried").isEqualTo(1);
    }
  }

  private static void assertFailsWith(ErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            UsageException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).doesNotContain(KEY_TEXT);
              for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                assertThat(String.valueOf(cause.getMessage())).doesNotContain(KEY_TEXT);
              }
            });
  }
}
