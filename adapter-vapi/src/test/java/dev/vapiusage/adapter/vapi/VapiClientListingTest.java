package dev.vapiusage.adapter.vapi;

import static dev.vapiusage.adapter.vapi.TestSupport.KEY;
import static dev.vapiusage.adapter.vapi.TestSupport.KEY_TEXT;
import static dev.vapiusage.adapter.vapi.TestSupport.assertExactlyOnce;
import static dev.vapiusage.adapter.vapi.TestSupport.client;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.adapter.vapi.TestSupport.Listing;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.RecordedRequest;
import dev.vapiusage.simulator.SimulatedCall;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class VapiClientListingTest {
  private static final Instant FROM = Instant.parse("2026-07-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-07-03T00:00:00Z");
  private static final CallWindow WINDOW = CallWindow.created(FROM, TO);

  @ParameterizedTest(name = "{0} calls")
  @ValueSource(ints = {0, 1, 999, 1000, 1001, 25_000})
  void givenWindowWithSomeCalls_stream_deliversEachExactlyOnceWithTheSimulatorsTotals(int count) {
    SimulatorData data = SimulatorData.generated(count, count, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, WINDOW, listing);

      assertThat(data.size()).isEqualTo(count);
      assertExactlyOnce(listing, data, WINDOW);
      assertThat(listing.batchSizes()).allMatch(size -> size > 0 && size < 1000);
      if (count < 1000) {
        assertThat(simulator.requestCount())
            .as("a window below the limit needs one request")
            .isEqualTo(1);
      }
    }
  }

  @Test
  void givenWindowsReachingPastTheYears0000To9999_stream_asksVapiOnlyForInstantsItAccepts() {
    SimulatorData data = SimulatorData.generated(5, 50, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      CallWindow wide =
          CallWindow.created(
              Instant.parse("-0001-12-31T10:00:00Z"), Instant.parse("+10000-01-01T12:00:00Z"));
      Listing listing = new Listing();

      client(simulator).stream(KEY, wide, listing);

      assertExactlyOnce(listing, data, wide);
      assertThat(simulator.requests())
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.query().get("createdAtGe")).matches("[0-9]{4}-.*Z");
                assertThat(r.query().get("createdAtLt")).matches("[0-9]{4}-.*Z");
              });

      Listing none = new Listing();
      client(simulator).stream(
          KEY,
          CallWindow.created(
              Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("+10000-01-02T00:00:00Z")),
          none);
      client(simulator).stream(
          KEY,
          CallWindow.created(
              Instant.parse("-0001-01-01T00:00:00Z"), Instant.parse("-0001-01-02T00:00:00Z")),
          none);
      assertThat(none.batchSizes()).isEmpty();
    }
  }

  @Test
  void givenFullWindow_stream_splitsUntilEveryPartIsBelowTheLimit() {
    SimulatorData data = SimulatorData.generated(7, 25_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      client(simulator).stream(KEY, WINDOW, new Listing());

      List<RecordedRequest> listings = listings(simulator);
      List<RecordedRequest> complete =
          listings.stream().filter(r -> r.results() < 1000).collect(Collectors.toList());
      assertThat(listings).anyMatch(r -> r.results() == 1000);
      assertThat(listings).allMatch(r -> r.query().get("limit").equals("1000"));
      // The parts that came back below the limit tile the window: no gap, no overlap.
      complete.sort(Comparator.comparing(r -> Instant.parse(r.query().get("createdAtGe"))));
      assertThat(complete.get(0).query().get("createdAtGe")).isEqualTo("2026-07-01T00:00:00.000Z");
      for (int i = 1; i < complete.size(); i++) {
        assertThat(complete.get(i).query().get("createdAtGe"))
            .isEqualTo(complete.get(i - 1).query().get("createdAtLt"));
      }
      assertThat(complete.get(complete.size() - 1).query().get("createdAtLt"))
          .isEqualTo("2026-07-03T00:00:00.000Z");
      assertThat(complete.stream().mapToInt(RecordedRequest::results).sum()).isEqualTo(25_000);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(VapiSimulator.Order.class)
  void givenAnyResponseOrder_stream_stillDeliversEveryCallOnce(VapiSimulator.Order order) {
    SimulatorData data = SimulatorData.generated(11, 5_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT).order(order)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
    }
  }

  @Test
  void givenCallsExactlyOnWindowEdges_stream_includesTheStartAndExcludesTheEnd() {
    SimulatorData data = SimulatorData.empty();
    Instant from = Instant.parse("2026-07-02T00:00:00Z");
    Instant to = Instant.parse("2026-07-03T00:00:00Z");
    List<SimulatedCall> added = new ArrayList<>();
    for (Instant at :
        List.of(
            from.minusMillis(1),
            from,
            from.plusMillis(1),
            to.minusMillis(1),
            to,
            to.plusMillis(1))) {
      added.add(data.addEndedCall(at, Duration.ofMinutes(3)));
    }
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, CallWindow.created(from, to), listing);

      assertThat(listing.calls())
          .extracting(CallRecord::createdAt)
          .containsExactlyInAnyOrder(from, from.plusMillis(1), to.minusMillis(1));
      assertExactlyOnce(listing, data, CallWindow.created(from, to));
      assertThat(added).hasSize(6);
    }
  }

  @Test
  void givenWindowBoundsWithinAMillisecond_stream_keepsTheHalfOpenWindowExact() {
    SimulatorData data = SimulatorData.empty();
    Instant t = Instant.parse("2026-07-02T10:00:00Z");
    Instant u = Instant.parse("2026-07-02T11:00:00Z");
    for (Instant at : List.of(t, t.plusMillis(1), u, u.plusMillis(1))) {
      data.addEndedCall(at, Duration.ofMinutes(1));
    }
    CallWindow window = CallWindow.created(t.plusNanos(500_000), u.plusNanos(500_000));
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, window, listing);

      assertThat(listing.calls())
          .extracting(CallRecord::createdAt)
          .containsExactlyInAnyOrder(t.plusMillis(1), u);
    }
  }

  @Test
  void given2500CallsInOneMillisecond_stream_deliversAllOfThemBySweepingUpdatedAt() {
    SimulatorData data = SimulatorData.empty();
    Instant burst = Instant.parse("2026-07-02T12:00:00.123Z");
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      calls.add(
          SimulatedCall.ended(
                  data.newCallId(), data.orgId(), burst, Duration.ofSeconds(30 + i), null)
              .withUpdatedAt(burst.plusSeconds(60 + i)));
    }
    for (int i = 0; i < 300; i++) {
      Instant around = burst.plusMillis((i - 150) * 1_000L + 7);
      calls.add(
          SimulatedCall.ended(data.newCallId(), data.orgId(), around, Duration.ofMinutes(2), null));
    }
    data.addAll(calls);
    CallWindow window =
        CallWindow.created(burst.minus(Duration.ofHours(1)), burst.plus(Duration.ofHours(1)));
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, window, listing);

      assertExactlyOnce(listing, data, window);
      assertThat(listing.calls()).filteredOn(c -> c.createdAt().equals(burst)).hasSize(2_500);
      assertThat(listings(simulator)).anyMatch(r -> r.query().containsKey("updatedAtGe"));
      assertThat(simulator.requests()).noneMatch(r -> r.path().equals("/v2/call"));
    }
  }

  @Test
  void given2500CallsSharingBothTimestamps_stream_pagesThroughThemCompletely() {
    SimulatorData data = SimulatorData.empty();
    Instant burst = Instant.parse("2026-07-02T12:00:00.123Z");
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      calls.add(
          SimulatedCall.ended(data.newCallId(), data.orgId(), burst, Duration.ofSeconds(30), null)
              .withUpdatedAt(burst.plusSeconds(90)));
    }
    data.addAll(calls);
    data.addEndedCall(burst.minusMillis(1), Duration.ofMinutes(1));
    data.addEndedCall(burst.plusMillis(1), Duration.ofMinutes(1));
    CallWindow window =
        CallWindow.created(burst.minus(Duration.ofHours(1)), burst.plus(Duration.ofHours(1)));
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, window, listing);

      assertExactlyOnce(listing, data, window);
      assertThat(listing.calls()).hasSize(2_502);
      assertThat(simulator.requests()).anyMatch(r -> r.path().equals("/v2/call"));
    }
  }

  @Test
  void givenSharedMillisecondsAndNoPaginatedRoute_stream_failsRatherThanLoseCalls() {
    SimulatorData data = SimulatorData.empty();
    Instant burst = Instant.parse("2026-07-02T12:00:00.123Z");
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      calls.add(
          SimulatedCall.ended(data.newCallId(), data.orgId(), burst, Duration.ofSeconds(30), null)
              .withUpdatedAt(burst.plusSeconds(90)));
    }
    data.addAll(calls);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT).v2Route(false)) {
      assertThatThrownBy(() -> client(simulator).stream(KEY, WINDOW, new Listing()))
          .isInstanceOfSatisfying(
              UsageException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE);
                assertThat(e.getMessage()).contains("share").doesNotContain(KEY_TEXT);
              });
    }
  }

  @Test
  void given2500CallsUpdatedInOneMillisecond_streamOfUpdatedWindow_sweepsCreatedAtInstead() {
    SimulatorData data = SimulatorData.empty();
    Instant update = Instant.parse("2026-07-02T12:00:00.456Z");
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      calls.add(
          SimulatedCall.ended(
                  data.newCallId(),
                  data.orgId(),
                  update.minusSeconds(600 + i),
                  Duration.ofSeconds(30),
                  null)
              .withUpdatedAt(update));
    }
    data.addAll(calls);
    CallWindow window =
        CallWindow.updated(update.minus(Duration.ofMinutes(5)), update.plus(Duration.ofMinutes(5)));
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, window, listing);

      assertExactlyOnce(listing, data, window);
      assertThat(listings(simulator)).anyMatch(r -> r.query().containsKey("createdAtGe"));
    }
  }

  @Test
  void givenCallsEndedAfterTheFirstSync_streamOfUpdatedWindow_returnsThemWithTheirNewCosts() {
    SimulatorData data = SimulatorData.generated(5, 3_000, FROM, TO);
    List<SimulatedCall> running =
        data.calls(WINDOW).stream()
            .filter(c -> c.status().equals("in-progress") || c.status().equals("queued"))
            .collect(Collectors.toList());
    assertThat(running).as("the generated world ends with live calls").isNotEmpty();
    Instant later = TO.plus(Duration.ofMinutes(2));
    for (SimulatedCall call : running) {
      data.endCall(call.id(), TO.plus(Duration.ofMinutes(1)), later);
    }
    CallWindow changes = CallWindow.updated(TO, TO.plus(Duration.ofMinutes(10)));
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, changes, listing);

      assertExactlyOnce(listing, data, changes);
      assertThat(listing.calls()).hasSize(running.size());
      assertThat(listing.calls())
          .allSatisfy(
              call -> {
                assertThat(call.status()).isEqualTo("ended");
                assertThat(call.cost()).isPositive();
                assertThat(call.updatedAt()).isEqualTo(later);
              });
    }
  }

  @Test
  void givenACallChangingWhileTheListingRuns_stream_stillDeliversItOnce() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    SimulatorData data = SimulatorData.empty();
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      Instant updated = now.minus(Duration.ofMinutes(5)).plusMillis(i * 90L);
      calls.add(
          SimulatedCall.ended(
                  data.newCallId(),
                  data.orgId(),
                  updated.minusSeconds(90),
                  Duration.ofSeconds(60),
                  null)
              .withUpdatedAt(updated));
    }
    data.addAll(calls);
    CallWindow window =
        CallWindow.updated(now.minus(Duration.ofMinutes(6)), now.plus(Duration.ofHours(1)));
    AtomicBoolean changed = new AtomicBoolean();
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      client(simulator).stream(
          KEY,
          window,
          batch -> {
            listing.accept(batch);
            if (changed.compareAndSet(false, true)) {
              // Vapi re-costs a call already delivered: its new updatedAt lies in a later part.
              data.update(
                  batch.get(0).id(), call -> call.withUpdatedAt(now.plus(Duration.ofMinutes(30))));
            }
          });

      assertThat(listing.duplicateIds()).isEmpty();
      assertThat(listing.calls()).hasSize(3_000);
    }
  }

  @Test
  void givenCompressedBodies_stream_readsThemLikePlainOnes() {
    SimulatorData data = SimulatorData.generated(13, 2_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT).gzip(true)) {
      Listing listing = new Listing();

      client(simulator).stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
    }
  }

  @Test
  void givenASmallPageLimit_stream_coversTheWindowWithSmallRequests() {
    SimulatorData data = SimulatorData.generated(17, 500, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      Listing listing = new Listing();

      new VapiClient(TestSupport.config(simulator).withPageLimit(10)).stream(KEY, WINDOW, listing);

      assertExactlyOnce(listing, data, WINDOW);
      assertThat(listings(simulator)).allMatch(r -> r.query().get("limit").equals("10"));
      assertThat(listing.batchSizes()).allMatch(size -> size < 10);
    }
  }

  @Test
  void givenAGeneratedQuarter_streamOfEveryDay_addsUpToTheWholeQuarter() {
    Instant from = Instant.parse("2026-04-01T00:00:00Z");
    Instant to = Instant.parse("2026-07-01T00:00:00Z");
    SimulatorData data = SimulatorData.generated(21, 20_000, from, to);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY_TEXT)) {
      VapiClient client = client(simulator);
      Listing listing = new Listing();

      for (Instant day = from; day.isBefore(to); day = day.plus(Duration.ofDays(1))) {
        client.stream(KEY, CallWindow.created(day, day.plus(Duration.ofDays(1))), listing);
      }

      assertExactlyOnce(listing, data, CallWindow.created(from, to));
    }
  }

  private static List<RecordedRequest> listings(VapiSimulator simulator) {
    return simulator.requests().stream()
        .filter(r -> r.path().equals("/call") && r.status() == 200)
        .collect(Collectors.toCollection(ArrayList::new));
  }
}
