package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.call;
import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link UsageRepository} does; subclasses supply the implementation. The aggregation
 * tests hold a repository's sums to the domain's {@link UsageAccumulator}, the contract's
 * arithmetic in Java.
 */
public abstract class UsageRepositoryContract {
  private static final Instant T0 = Instant.parse("2024-03-05T12:00:00Z");
  private static final DateRange MARCH =
      new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), ZoneId.of("UTC"));

  protected abstract UsageRepository repository();

  /** The same store's calls read back one by one, to see what a push left stored. */
  protected abstract CallHistory history();

  @Test
  void givenNewCalls_store_countsThemAllAsChanged() {
    UserId user = anyUserId();
    StoreResult result =
        repository().store(user, List.of(endedCall(T0, 60, "0.10"), endedCall(T0, 30, "0.05")));
    assertThat(result).isEqualTo(new StoreResult(2, 2));
  }

  @Test
  void givenSameCallsAgain_store_changesNothingAndTotalsDoNotDouble() {
    UserId user = anyUserId();
    List<CallRecord> calls = List.of(endedCall(T0, 60, "0.10"), endedCall(T0, 30, "0.05"));
    repository().store(user, calls);
    UsageMetrics before = repository().aggregate(user, MARCH);

    assertThat(repository().store(user, calls)).isEqualTo(new StoreResult(2, 0));
    assertThat(repository().aggregate(user, MARCH)).isEqualTo(before);
    assertThat(before.totals().calls()).isEqualTo(2);
    assertThat(before.totals().cost()).isEqualByComparingTo("0.15");
  }

  @Test
  void givenCallsWithAndWithoutStartOrEnd_storingThemAgain_changesNothing() {
    UserId user = anyUserId();
    // An unanswered call ends without ever starting: no duration, but an end time.
    List<CallRecord> calls =
        List.of(
            call(TestData.anyCallId(), T0)
                .talked(null, T0.plusSeconds(30))
                .status("ended")
                .endedReason("customer-did-not-answer")
                .cost("0")
                .build(),
            call(TestData.anyCallId(), T0)
                .talked(T0.plusSeconds(1), null)
                .status("in-progress")
                .build(),
            call(TestData.anyCallId(), T0)
                .talked(T0.plusSeconds(1), T0.plusSeconds(61))
                .cost("0.1")
                .build(),
            TestData.queuedCall(TestData.anyCallId(), T0));
    repository().store(user, calls);
    assertThat(repository().store(user, calls)).isEqualTo(new StoreResult(4, 0));
  }

  @Test
  void givenLateCost_store_updatesTheCallInPlace() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    repository().store(user, List.of(TestData.queuedCall(id, T0)));
    CallRecord ended =
        call(id, T0)
            .updatedAt(T0.plusSeconds(200))
            .talked(T0.plusSeconds(3), T0.plusSeconds(123))
            .status("ended")
            .endedReason("customer-ended-call")
            .cost("0.2512345678")
            .build();

    assertThat(repository().store(user, List.of(ended))).isEqualTo(new StoreResult(1, 1));

    UsageMetrics metrics = repository().aggregate(user, MARCH);
    assertThat(metrics.totals().calls()).isEqualTo(1);
    assertThat(metrics.totals().durationMicros()).isEqualTo(120_000_000L);
    assertThat(metrics.totals().cost()).isEqualByComparingTo("0.2512345678");
  }

  @Test
  void givenTwoUsersWithTheSameCall_eachSeesItOnce() {
    UserId alice = anyUserId();
    UserId bob = anyUserId();
    CallRecord shared = endedCall(T0, 60, "1.5");
    repository().store(alice, List.of(shared));
    repository().store(bob, List.of(shared));
    assertThat(repository().aggregate(alice, MARCH).totals().calls()).isEqualTo(1);
    assertThat(repository().aggregate(bob, MARCH).totals().calls()).isEqualTo(1);
    assertThat(repository().aggregate(anyUserId(), MARCH)).isEqualTo(UsageMetrics.empty(MARCH));
  }

  @Test
  void givenNoCalls_aggregate_hasEveryDayWithZeros() {
    UsageMetrics metrics = repository().aggregate(anyUserId(), MARCH);
    assertThat(metrics.daily()).hasSize(31);
    assertThat(metrics.daily().get(0).date()).isEqualTo(LocalDate.of(2024, 3, 1));
    assertThat(metrics.byAssistant()).isEmpty();
  }

  @Test
  void givenCallsWithoutFields_aggregate_groupsThemUnderNull() {
    UserId user = anyUserId();
    repository()
        .store(
            user, List.of(TestData.queuedCall(TestData.anyCallId(), T0), endedCall(T0, 10, "0.3")));
    UsageMetrics metrics = repository().aggregate(user, MARCH);
    assertThat(metrics.byAssistant()).extracting(g -> g.key()).containsExactly("assistant-1", null);
    assertThat(metrics.byEndedReason())
        .extracting(g -> g.key())
        .containsExactly("customer-ended-call", null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"})
  void aggregate_equalsTheDomainArithmetic(String zone) {
    UserId user = anyUserId();
    List<CallRecord> calls = randomCalls(new Random(zone.hashCode()), 400);
    for (int i = 0; i < calls.size(); i += 97) {
      repository().store(user, calls.subList(i, Math.min(calls.size(), i + 97)));
    }
    // A range across the March DST change in both hemispheres, and one that ends mid-data.
    for (DateRange range :
        List.of(
            new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 4, 15), ZoneId.of(zone)),
            new DateRange(LocalDate.of(2024, 3, 10), LocalDate.of(2024, 3, 10), ZoneId.of(zone)),
            new DateRange(LocalDate.of(2024, 2, 20), LocalDate.of(2024, 3, 31), ZoneId.of(zone)))) {
      UsageAccumulator expected = new UsageAccumulator(range);
      expected.addAll(calls);
      assertThat(repository().aggregate(user, range)).isEqualTo(expected.toMetrics());
    }
  }

  @Test
  void givenALargeBatch_store_storesEveryCallOnce() {
    UserId user = anyUserId();
    List<CallRecord> calls = randomCalls(new Random(7), 2500);
    assertThat(repository().store(user, calls)).isEqualTo(new StoreResult(2500, 2500));
    long inMarch = calls.stream().filter(c -> MARCH.contains(c.createdAt())).count();
    assertThat(repository().aggregate(user, MARCH).totals().calls()).isEqualTo(inMarch);
  }

  // --- Pushed calls and statuses (contract 9.4): newest wins, whatever the order of arrival.

  /** Version {@code n} of a pushed call: later, costlier, and with {@code n % 3 + 1} cost items. */
  private static CallRecord version(String id, int n) {
    List<CostItem> items = new ArrayList<>();
    for (int i = 0; i <= n % 3; i++) {
      items.add(TestData.modelItem("openai", "gpt-4o-" + i, n + ".0" + i, 100L * n, 10L * n));
    }
    return call(id, T0)
        .updatedAt(T0.plusSeconds(100 + n))
        .talked(T0.plusSeconds(2), T0.plusSeconds(62))
        .status("ended")
        .endedReason("customer-ended-call")
        .assistantId("asst-push")
        .type("webCall")
        .cost(n + ".25")
        .costs("0", "0", n + ".25", "0", "0", "0")
        .items(items)
        .build();
  }

  private CallRecord stored(UserId user, String id) {
    return history().find(user, id).orElseThrow();
  }

  @Test
  void givenNoStoredCall_storeIfNewer_storesItWithItsItems() {
    UserId user = anyUserId();
    CallRecord pushed = version(TestData.anyCallId(), 2);

    assertThat(repository().storeIfNewer(user, pushed)).isTrue();

    assertThat(stored(user, pushed.id())).isEqualTo(pushed);
    assertThat(repository().aggregate(user, MARCH).totals().cost()).isEqualByComparingTo("2.25");
  }

  @Test
  void givenAStoredCall_aNewerPush_replacesItAndItsItems() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    repository().store(user, List.of(version(id, 1)));

    assertThat(repository().storeIfNewer(user, version(id, 2))).isTrue();

    assertThat(stored(user, id)).isEqualTo(version(id, 2));
    UsageMetrics metrics = repository().aggregate(user, MARCH);
    assertThat(metrics.totals().calls()).isEqualTo(1);
    assertThat(metrics.totals().cost()).isEqualByComparingTo("2.25");
  }

  @Test
  void givenANewerStoredCall_anOlderOrEqualPush_isIgnored() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    repository().storeIfNewer(user, version(id, 5));
    // Same updatedAt, other contents: a repeated message never overwrites what is stored.
    CallRecord sameTimeOtherCost = call(id, T0).updatedAt(T0.plusSeconds(105)).cost("9").build();

    assertThat(repository().storeIfNewer(user, version(id, 4))).isFalse();
    assertThat(repository().storeIfNewer(user, sameTimeOtherCost)).isFalse();

    assertThat(stored(user, id)).isEqualTo(version(id, 5));
  }

  @Test
  void givenTheSamePushRepeated_storeIfNewer_storesItOnceAndTotalsNeverDouble() {
    UserId user = anyUserId();
    CallRecord pushed = version(TestData.anyCallId(), 3);
    assertThat(repository().storeIfNewer(user, pushed)).isTrue();
    UsageMetrics once = repository().aggregate(user, MARCH);

    for (int i = 0; i < 3; i++) {
      assertThat(repository().storeIfNewer(user, pushed)).isFalse();
    }

    assertThat(repository().aggregate(user, MARCH)).isEqualTo(once);
    assertThat(once.totals().calls()).isEqualTo(1);
    assertThat(once.totals().cost()).isEqualByComparingTo("3.25");
  }

  @Test
  void givenAStoredCall_aLaterStatus_changesOnlyTheStatusAndKeepsTheCost() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    CallRecord ended = version(id, 2);
    repository().store(user, List.of(ended));
    UsageMetrics before = repository().aggregate(user, MARCH);
    CallRecord statusOnly = call(id, T0).status("forwarding").build();

    assertThat(repository().storeStatus(user, statusOnly, ended.updatedAt().plusSeconds(1)))
        .isTrue();

    assertThat(stored(user, id)).isEqualTo(ended.withStatus("forwarding"));
    assertThat(repository().aggregate(user, MARCH)).isEqualTo(before);
  }

  @Test
  void givenAStoredCall_aStatusNotLaterThanIt_isIgnored() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    CallRecord ended = version(id, 2);
    repository().store(user, List.of(ended));
    CallRecord statusOnly = call(id, T0).status("in-progress").build();

    assertThat(repository().storeStatus(user, statusOnly, ended.updatedAt())).isFalse();
    assertThat(repository().storeStatus(user, statusOnly, ended.updatedAt().minusSeconds(30)))
        .isFalse();

    assertThat(stored(user, id)).isEqualTo(ended);
  }

  @Test
  void givenAPushedStatus_anOlderOrRepeatedStatus_isIgnored() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    CallRecord ended = version(id, 2);
    repository().store(user, List.of(ended));
    Instant at = ended.updatedAt().plusSeconds(10);
    repository().storeStatus(user, call(id, T0).status("forwarding").build(), at);

    assertThat(repository().storeStatus(user, call(id, T0).status("ringing").build(), at))
        .isFalse();
    assertThat(
            repository()
                .storeStatus(user, call(id, T0).status("ringing").build(), at.minusSeconds(5)))
        .isFalse();
    assertThat(repository().storeStatus(user, call(id, T0).status("forwarding").build(), at))
        .isFalse();

    assertThat(stored(user, id).status()).isEqualTo("forwarding");
  }

  @Test
  void givenNoStoredCall_storeStatus_storesTheCallAsGiven() {
    UserId user = anyUserId();
    CallRecord ringing = call(TestData.anyCallId(), T0).status("ringing").type("webCall").build();

    assertThat(repository().storeStatus(user, ringing, T0.plusSeconds(3))).isTrue();

    assertThat(stored(user, ringing.id())).isEqualTo(ringing);
    assertThat(repository().aggregate(user, MARCH).totals().calls()).isEqualTo(1);
  }

  @Test
  void givenAPushedStatus_aSyncStoreAfterwards_wins() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    CallRecord ended = version(id, 2);
    repository().store(user, List.of(ended));
    repository()
        .storeStatus(
            user, call(id, T0).status("forwarding").build(), ended.updatedAt().plusSeconds(60));

    assertThat(repository().store(user, List.of(ended))).isEqualTo(new StoreResult(1, 1));
    assertThat(stored(user, id)).isEqualTo(ended);

    // The synced version's status holds until a status later than the synced version arrives.
    assertThat(
            repository()
                .storeStatus(
                    user,
                    call(id, T0).status("in-progress").build(),
                    ended.updatedAt().plusSeconds(30)))
        .isTrue();
    assertThat(stored(user, id).status()).isEqualTo("in-progress");
  }

  @Test
  void givenAPushedStatus_aNewerReport_replacesTheCallStatusIncluded() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    repository().storeStatus(user, call(id, T0).status("in-progress").build(), T0.plusSeconds(5));

    assertThat(repository().storeIfNewer(user, version(id, 1))).isTrue();

    assertThat(stored(user, id)).isEqualTo(version(id, 1));
  }

  @Test
  void givenManyThreadsPushingVersionsOfTheSameCalls_theNewestOfEachIsStoredOnce()
      throws Exception {
    UserId user = anyUserId();
    int callCount = 4;
    int versions = 16;
    List<String> ids = new ArrayList<>();
    List<CallRecord> pushes = new ArrayList<>();
    for (int c = 0; c < callCount; c++) {
      String id = TestData.anyCallId();
      ids.add(id);
      for (int v = 1; v <= versions; v++) {
        // Every version twice: delivery is at least once.
        pushes.add(version(id, v));
        pushes.add(version(id, v));
      }
    }
    Collections.shuffle(pushes, new Random(18));
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = first; i < pushes.size(); i += threads) {
                    repository().storeIfNewer(user, pushes.get(i));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    for (String id : ids) {
      assertThat(stored(user, id)).isEqualTo(version(id, versions));
    }
    UsageMetrics metrics = repository().aggregate(user, MARCH);
    assertThat(metrics.totals().calls()).isEqualTo(callCount);
    assertThat(metrics.totals().cost())
        .isEqualByComparingTo(new BigDecimal(versions + ".25").multiply(BigDecimal.valueOf(4)));
    for (String id : ids) {
      assertThat(repository().storeIfNewer(user, version(id, versions - 1))).isFalse();
    }
  }

  /** Calls spread over Feb to mid-April 2024, with every optional field sometimes absent. */
  public static List<CallRecord> randomCalls(Random random, int count) {
    Instant from = Instant.parse("2024-02-25T00:00:00Z");
    long spanMillis = 55L * 24 * 3600 * 1000;
    String[] assistants = {"asst-a", "asst-b", "asst-c", null};
    String[] types = {
      "inboundPhoneCall", "outboundPhoneCall", "webCall", "vapi.websocketCall", null
    };
    String[] reasons = {
      "customer-ended-call", "assistant-ended-call", "silence-timed-out", "voicemail", null
    };
    List<CallRecord> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Instant created = from.plusMillis((long) (random.nextDouble() * spanMillis));
      TestData.Builder builder =
          call("call-" + i + "-" + random.nextInt(1_000_000), created)
              .updatedAt(created.plusSeconds(random.nextInt(3600)))
              .assistantId(assistants[random.nextInt(assistants.length)])
              .type(types[random.nextInt(types.length)])
              .endedReason(reasons[random.nextInt(reasons.length)])
              .status(random.nextBoolean() ? "ended" : "in-progress");
      if (random.nextInt(10) > 0) {
        Instant started = created.plusMillis(random.nextInt(20_000));
        builder.talked(started, started.plusMillis(random.nextInt(1_800_000)));
      }
      if (random.nextInt(8) > 0) {
        builder.cost(randomAmount(random));
        builder.costs(
            randomAmount(random),
            randomAmount(random),
            randomAmount(random),
            randomAmount(random),
            randomAmount(random),
            randomAmount(random));
      }
      builder.items(randomItems(random));
      calls.add(builder.build());
    }
    return calls;
  }

  /**
   * Cost items as Vapi sends them: LLM, voice and transcriber items of a few providers and models
   * (some without tokens, some voices with only a voice id, squads with two items of one model),
   * items of other types, and calls without items.
   */
  public static List<CostItem> randomItems(Random random) {
    if (random.nextInt(6) == 0) {
      return List.of();
    }
    String[] providers = {"openai", "anthropic", null};
    String[] models = {"gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", null};
    List<CostItem> items = new ArrayList<>();
    items.add(
        new CostItem(
            "transport",
            new BigDecimal(randomAmount(random)),
            "twilio",
            null,
            null,
            null,
            null,
            null,
            null));
    int llms = random.nextInt(4) == 0 ? 2 : 1;
    String provider = providers[random.nextInt(providers.length)];
    String model = models[random.nextInt(models.length)];
    for (int i = 0; i < llms; i++) {
      boolean tokens = random.nextInt(5) > 0;
      items.add(
          TestData.modelItem(
              provider,
              model,
              randomAmount(random),
              tokens ? (long) random.nextInt(100_000) : null,
              tokens ? (long) random.nextInt(10_000) : null));
    }
    if (random.nextInt(5) > 0) {
      boolean onlyVoiceId = random.nextBoolean();
      items.add(
          TestData.voiceItem(
              random.nextBoolean() ? "11labs" : "cartesia",
              onlyVoiceId ? null : "eleven_turbo_v2",
              random.nextBoolean() ? "voice-" + random.nextInt(3) : null,
              randomAmount(random),
              random.nextInt(4) == 0 ? null : (long) random.nextInt(5_000)));
    }
    if (random.nextInt(5) > 0) {
      items.add(
          TestData.transcriberItem(
              "deepgram",
              random.nextBoolean() ? "nova-2" : null,
              randomAmount(random),
              random.nextInt(4) == 0 ? null : randomAmount(random)));
    }
    items.add(
        new CostItem(
            "vapi",
            new BigDecimal(randomAmount(random)),
            null,
            null,
            null,
            new BigDecimal(randomAmount(random)),
            null,
            null,
            null));
    return items;
  }

  private static String randomAmount(Random random) {
    return new BigDecimal(random.nextInt(5_000_000))
        .movePointLeft(random.nextInt(11))
        .toPlainString();
  }

  /** The ids of calls, for assertions on sets. */
  public static List<String> ids(List<CallRecord> calls) {
    return calls.stream().map(CallRecord::id).collect(Collectors.toList());
  }
}
