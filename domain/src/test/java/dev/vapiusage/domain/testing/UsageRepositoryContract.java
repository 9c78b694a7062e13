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
import dev.vapiusage.domain.port.UsageRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
