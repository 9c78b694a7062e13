package dev.vapiusage.adapter.vapi;

import static dev.vapiusage.adapter.vapi.TestSupport.KEY;
import static dev.vapiusage.adapter.vapi.TestSupport.KEY_TEXT;
import static dev.vapiusage.adapter.vapi.TestSupport.assertExactlyOnce;
import static dev.vapiusage.adapter.vapi.TestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.adapter.vapi.TestSupport.Listing;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.Faults;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Creation windows listed as slices, several requests in flight. */
class SlicedListingTest {
  private static final Instant FROM = Instant.parse("2026-07-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-07-04T00:00:00Z");
  private static final CallWindow WINDOW = CallWindow.created(FROM, TO);

  private static VapiClient client(VapiSimulator simulator, int inFlight) {
    return new VapiClient(config(simulator).withListings(inFlight));
  }

  @Test
  void threeRequestsInFlight_deliverEveryCallExactlyOnce() {
    SimulatorData data = SimulatorData.generated(3, 25_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator, 3).stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
    }
  }

  @Test
  void underRateLimitsAndServerErrors_everyCallIsStillDeliveredExactlyOnce() {
    SimulatorData data = SimulatorData.generated(5, 8_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      simulator.faults(
          Faults.none()
              .withRateLimited(0.3, Duration.ofMillis(20), Faults.RetryAfterStyle.NONE)
              .withServerErrors(0.1)
              .withSeed(11));
      Listing listing = new Listing();

      client(simulator, 4).stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
    }
  }

  @Test
  void aRejectedKey_stopsEverySliceAndIsWhatTheCallerGets() {
    SimulatorData data = SimulatorData.generated(5, 8_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      assertThatThrownBy(() -> client(simulator, 3).stream(ApiKey.of("sk-wrong"), WINDOW, listing))
          .isInstanceOfSatisfying(
              UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY));
      // One request per slice in flight at most: none starts after the first rejection is seen.
      assertThat(simulator.requestCount()).isLessThanOrEqualTo(3);
      assertThat(listing.calls()).isEmpty();
    }
  }

  @Test
  void theEmbeddersExecutor_runsTheExtraListers() {
    SimulatorData data = SimulatorData.generated(3, 5_000, FROM, TO);
    java.util.Set<String> listedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.ExecutorService embedder =
        java.util.concurrent.Executors.newFixedThreadPool(
            2, task -> new Thread(task, "embedder-listing"));
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();
      java.util.function.Consumer<java.util.List<dev.vapiusage.domain.CallRecord>> recording =
          batch -> {
            listedOn.add(Thread.currentThread().getName());
            listing.accept(batch);
          };

      new VapiClient(config(simulator).withListings(3).withExecutor(embedder))
          .stream(KEY, WINDOW, recording);

      assertExactlyOnce(listing, data, WINDOW);
      assertThat(listedOn)
          .allMatch(
              name ->
                  name.equals("embedder-listing") || name.equals(Thread.currentThread().getName()));
    } finally {
      embedder.shutdownNow();
    }
  }

  @Test
  void anExecutorThatRejectsEveryHelper_leavesTheCallerToListAlone() {
    SimulatorData data = SimulatorData.generated(4, 3_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();
      java.util.concurrent.Executor rejecting =
          task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
          };

      new VapiClient(config(simulator).withListings(3).withExecutor(rejecting))
          .stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
    }
  }

  @Test
  void aNarrowWindow_isListedAsOne() {
    Instant to = FROM.plus(SlicedListing.MIN_SLICED).minusMillis(1);
    SimulatorData data = SimulatorData.generated(9, 300, FROM, to);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator, 3).stream(KEY, CallWindow.created(FROM, to), listing);

      assertThat(simulator.requestCount()).isEqualTo(1);
      assertExactlyOnce(listing, data, CallWindow.created(FROM, to));
    }
  }

  @Test
  void slices_tileTheWindowWithoutGapOrOverlap() {
    var slices = SlicedListing.split(CallWindow.created(FROM, TO.plusMillis(7)), 8);

    assertThat(slices).hasSize(8);
    assertThat(slices.get(0).from()).isEqualTo(FROM);
    assertThat(slices.get(7).to()).isEqualTo(TO.plusMillis(7));
    for (int i = 1; i < slices.size(); i++) {
      assertThat(slices.get(i).from()).isEqualTo(slices.get(i - 1).to());
    }
  }

  @Test
  void anErrorInAnySlice_failsTheListingAndNoSliceGoesOnAfterIt() {
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger afterReturn =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean returned =
        new java.util.concurrent.atomic.AtomicBoolean();
    WindowLister.Source failingSecond =
        new WindowLister.Source() {
          @Override
          public java.util.List<dev.vapiusage.domain.CallRecord> list(
              java.util.List<WindowLister.Bound> bounds, int limit) {
            if (returned.get()) {
              afterReturn.incrementAndGet();
            }
            if (requests.incrementAndGet() == 2) {
              throw new OutOfMemoryError("simulated");
            }
            return java.util.List.of();
          }

          @Override
          public CallParser.V2Page page(
              java.util.List<WindowLister.Bound> bounds, int page, int limit) {
            throw new UnsupportedOperationException();
          }
        };

    assertThatThrownBy(
            () ->
                new SlicedListing(3, DaemonThreads.LISTINGS)
                    .run(failingSecond, 1000, WINDOW, batch -> {}, Instant.now()))
        .isInstanceOf(OutOfMemoryError.class);
    returned.set(true);

    assertThat(afterReturn).hasValue(0);
  }
}
