package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.testing.UsageRepositoryContract;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Storage and sums beyond the port contract: exactness at the edges, calls that change after they
 * were summed (which PostgreSQL's rollups must notice), zones whose midnights are off the quarter
 * hour, and writers and readers at once. Every result is held to the domain's {@link
 * UsageAccumulator} over the calls as stored.
 */
abstract class UsageStorageTests {
  private static final List<String> ZONES =
      List.of(
          "UTC",
          "America/New_York",
          "Asia/Kolkata",
          "Asia/Kathmandu",
          "Australia/Lord_Howe",
          "Pacific/Chatham",
          "America/St_Johns",
          "Pacific/Kiritimati",
          "Pacific/Pago_Pago");

  protected abstract UsageRepository repository();

  @Test
  void callsChangedAfterBeingSummed_areSummedAsTheyAreNow() {
    Random random = new Random(11);
    UserId user = anyUserId();
    Map<String, CallRecord> stored = new LinkedHashMap<>();
    store(user, stored, UsageRepositoryContract.randomCalls(random, 600));
    for (String zone : ZONES) {
      assertSumsMatch(user, stored.values(), marchToMidApril(zone));
    }
    // Late costs, new reasons, and calls whose creation moved to another day (even another month).
    List<CallRecord> changes = new ArrayList<>();
    List<CallRecord> existing = new ArrayList<>(stored.values());
    for (int i = 0; i < 150; i++) {
      CallRecord old = existing.get(random.nextInt(existing.size()));
      Instant created =
          i % 3 == 0
              ? old.createdAt().plus(Duration.ofHours(random.nextInt(24 * 40) - 24 * 20))
              : old.createdAt();
      changes.add(
          call(old.id(), created)
              .updatedAt(old.updatedAt().plusSeconds(60))
              .talked(created.plusSeconds(1), created.plusSeconds(1 + random.nextInt(900)))
              .assistantId(i % 2 == 0 ? "asst-late" : old.assistantId())
              .type(old.type())
              .endedReason("changed-" + (i % 4))
              .status("ended")
              .cost(new BigDecimal(random.nextInt(1_000_000)).movePointLeft(7).toPlainString())
              .costs("0.1", "0.0000000001", "0", "3", "0.25", "0.000123")
              .build());
    }
    changes.addAll(UsageRepositoryContract.randomCalls(random, 50));
    store(user, stored, distinct(changes));
    for (String zone : ZONES) {
      assertSumsMatch(user, stored.values(), marchToMidApril(zone));
      assertSumsMatch(
          user,
          stored.values(),
          new DateRange(LocalDate.of(2024, 3, 31), LocalDate.of(2024, 3, 31), ZoneId.of(zone)));
    }
  }

  @Test
  void givenOnlyTheCostItemsChanged_store_countsTheCallsAndSumsTheNewItems() {
    Random random = new Random(13);
    UserId user = anyUserId();
    Map<String, CallRecord> stored = new LinkedHashMap<>();
    store(user, stored, UsageRepositoryContract.randomCalls(random, 300));
    for (String zone : List.of("UTC", "Asia/Kolkata")) {
      assertSumsMatch(user, stored.values(), marchToMidApril(zone));
    }
    List<CallRecord> changes = new ArrayList<>();
    for (CallRecord old : new ArrayList<>(stored.values()).subList(0, 120)) {
      List<CostItem> items = UsageRepositoryContract.randomItems(random);
      if (!items.equals(old.costItems())) {
        changes.add(old.withCostItems(items));
      }
    }

    assertThat(repository().store(user, changes).changed()).isEqualTo(changes.size());
    changes.forEach(call -> stored.put(call.id(), call));
    assertThat(repository().store(user, changes).changed()).isZero();
    for (String zone : List.of("UTC", "Asia/Kolkata")) {
      assertSumsMatch(user, stored.values(), marchToMidApril(zone));
    }
  }

  @Test
  void randomStoresAndSums_alwaysAgreeWithTheDomain() {
    Random random = new Random(12);
    UserId user = anyUserId();
    Map<String, CallRecord> stored = new LinkedHashMap<>();
    List<CallRecord> pool = UsageRepositoryContract.randomCalls(random, 800);
    for (int step = 0; step < 25; step++) {
      List<CallRecord> batch = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(60); i++) {
        CallRecord pick = pool.get(random.nextInt(pool.size()));
        batch.add(random.nextBoolean() ? pick : withCost(pick, random));
      }
      store(user, stored, distinct(batch));
      LocalDate start = LocalDate.of(2024, 2, 20).plusDays(random.nextInt(50));
      DateRange range =
          new DateRange(
              start,
              start.plusDays(random.nextInt(40)),
              ZoneId.of(ZONES.get(random.nextInt(ZONES.size()))));
      assertSumsMatch(user, stored.values(), range);
    }
  }

  @Test
  void midnightsOffTheQuarterHour_areSummedExactly() {
    // Before 1937 the Netherlands kept Amsterdam mean time, UTC+00:19:32.
    ZoneId amsterdam = ZoneId.of("Europe/Amsterdam");
    UserId user = anyUserId();
    List<CallRecord> calls = new ArrayList<>();
    Instant first = LocalDate.of(1930, 6, 1).atStartOfDay(amsterdam).toInstant();
    for (int i = 0; i < 200; i++) {
      Instant created = first.plusSeconds(i * 1_801L - 3_600);
      calls.add(
          call("old-" + i, created)
              .talked(created, created.plusSeconds(i))
              .cost("0.0" + i)
              .assistantId("a" + i % 3)
              .build());
    }
    repository().store(user, calls);
    assertSumsMatch(
        user, calls, new DateRange(LocalDate.of(1930, 6, 1), LocalDate.of(1930, 6, 4), amsterdam));
  }

  @Test
  void amounts_keepEveryDecimalAtEveryMagnitude() {
    UserId user = anyUserId();
    Instant t = Instant.parse("2024-03-10T10:00:00Z");
    List<CallRecord> calls = new ArrayList<>();
    String[] costs = {
      "9999999.999999999999", "0.000000000001", "1e-20", "12345678.123456789012345", "0.1", "0.2"
    };
    for (int i = 0; i < costs.length; i++) {
      calls.add(
          call("exact-" + i, t.plusSeconds(i))
              .cost(new BigDecimal(costs[i]).toPlainString())
              .costs(
                  costs[i].replace("e-20", "E-19").toUpperCase(),
                  "0",
                  "0",
                  "0",
                  "0",
                  "0.000000000000000000001")
              .build());
    }
    repository().store(user, calls);
    UsageMetrics metrics = repository().aggregate(user, marchToMidApril("UTC"));
    assertThat(metrics.totals().cost()).isEqualByComparingTo("22345678.42345678901234500001");
    assertSumsMatch(user, calls, marchToMidApril("UTC"));
  }

  @Test
  void storedValuesReadBackAsTheyWere_soStoringThemAgainChangesNothing() {
    UserId user = anyUserId();
    String[] amounts = {
      "0",
      "0.0000",
      "1E+3",
      "1E+10",
      "-0.5",
      "123456789012345678901234567890.123456789",
      "0.00001",
      "9999.9999",
      "10000",
      "0.1000",
      "0.198074",
      "100000000.00000001",
      "1E+99",
      "12345678901234567890123456789012345678901234567890.5"
    };
    Instant[] instants = {
      Instant.parse("1999-12-31T23:59:59.999999Z"), Instant.parse("2000-01-01T00:00:00Z"),
      Instant.parse("1970-01-01T00:00:00.000001Z"), Instant.parse("2024-03-10T10:00:00.123456789Z")
    };
    String[] texts = {
      "customer-ended-call", "naïve-ended ☎", "asst-日本-\uD83D\uDE00", "tab\there\\back\nline", ""
    };
    List<CallRecord> calls = new ArrayList<>();
    for (int i = 0; i < amounts.length; i++) {
      Instant created = instants[i % instants.length];
      calls.add(
          call("roundtrip-" + i, created)
              .talked(created.plusMillis(1), created.plusSeconds(i))
              .updatedAt(created.plusSeconds(i + 1))
              .endedReason(texts[i % texts.length])
              .assistantId(texts[(i + 2) % texts.length])
              .cost(amounts[i])
              .costs(
                  amounts[(i + 1) % amounts.length],
                  amounts[(i + 2) % amounts.length],
                  "0",
                  amounts[i],
                  "1",
                  "0.5")
              .build());
    }

    assertThat(repository().store(user, calls))
        .isEqualTo(new StoreResult(calls.size(), calls.size()));
    assertThat(repository().store(user, calls)).isEqualTo(new StoreResult(calls.size(), 0));
    for (LocalDate day :
        List.of(LocalDate.of(1970, 1, 1), LocalDate.of(1999, 12, 31), LocalDate.of(2024, 3, 10))) {
      assertSumsMatch(
          user, calls, new DateRange(day.minusDays(1), day.plusDays(1), ZoneId.of("UTC")));
    }
  }

  @Test
  void instantsWithNanoseconds_stayOnTheirDayAndKeepMicroseconds() {
    UserId user = anyUserId();
    Instant lastNanoOfDay = Instant.parse("2024-03-10T23:59:59.999999999Z");
    CallRecord call =
        call("nanos", lastNanoOfDay)
            .talked(
                Instant.parse("2024-03-10T10:00:00.000000999Z"),
                Instant.parse("2024-03-10T10:00:01.000001500Z"))
            .build();
    repository().store(user, List.of(call));
    UsageMetrics metrics =
        repository()
            .aggregate(
                user,
                new DateRange(
                    LocalDate.of(2024, 3, 10), LocalDate.of(2024, 3, 10), ZoneId.of("UTC")));
    assertThat(metrics.totals().calls()).isEqualTo(1);
    // The duration is the domain's, from the instants as received, not from the stored
    // microseconds.
    assertThat(metrics.totals().durationMicros())
        .isEqualTo(call.durationMicros().getAsLong())
        .isEqualTo(1_000_000L);
    assertThat(repository().store(user, List.of(call))).isEqualTo(new StoreResult(1, 0));
  }

  @Test
  void aFullYearRange_hasEveryDay() {
    UserId user = anyUserId();
    List<CallRecord> calls = UsageRepositoryContract.randomCalls(new Random(13), 300);
    repository().store(user, calls);
    for (String zone : List.of("UTC", "Asia/Kolkata")) {
      DateRange year =
          new DateRange(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31), ZoneId.of(zone));
      assertThat(repository().aggregate(user, year).daily()).hasSize(366);
      assertSumsMatch(user, calls, year);
    }
  }

  @Test
  void aBatchWithTheSameCallTwice_keepsTheLatestVersion() {
    UserId user = anyUserId();
    Instant t = Instant.parse("2024-03-10T10:00:00Z");
    CallRecord early = call("twice", t).updatedAt(t.plusSeconds(1)).cost("1").build();
    CallRecord late = call("twice", t).updatedAt(t.plusSeconds(9)).cost("2").build();
    assertThat(repository().store(user, List.of(late, early))).isEqualTo(new StoreResult(2, 1));
    assertThat(repository().aggregate(user, marchToMidApril("UTC")).totals().cost())
        .isEqualByComparingTo("2");
  }

  @Test
  void writersAndReadersAtOnce_endWithExactSums() throws Exception {
    UserId user = anyUserId();
    List<CallRecord> calls = UsageRepositoryContract.randomCalls(new Random(14), 1_200);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int writer = 0; writer < 2; writer++) {
        List<CallRecord> part = calls.subList(writer * 600, writer * 600 + 600);
        work.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < part.size(); i += 50) {
                    repository().store(user, part.subList(i, i + 50));
                  }
                }));
      }
      for (int reader = 0; reader < 2; reader++) {
        String zone = ZONES.get(reader + 1);
        work.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 15; i++) {
                    UsageMetrics metrics = repository().aggregate(user, marchToMidApril(zone));
                    assertThat(metrics.totals().calls()).isBetween(0L, (long) calls.size());
                  }
                }));
      }
      for (Future<?> future : work) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
    for (String zone : ZONES) {
      assertSumsMatch(user, calls, marchToMidApril(zone));
    }
  }

  private void store(UserId user, Map<String, CallRecord> stored, List<CallRecord> calls) {
    for (int i = 0; i < calls.size(); i += 113) {
      repository().store(user, calls.subList(i, Math.min(calls.size(), i + 113)));
    }
    calls.forEach(c -> stored.put(c.id(), c));
  }

  private void assertSumsMatch(UserId user, Collection<CallRecord> calls, DateRange range) {
    UsageAccumulator expected = new UsageAccumulator(range);
    expected.addAll(calls);
    assertThat(repository().aggregate(user, range))
        .as(range.toString())
        .isEqualTo(expected.toMetrics());
  }

  private static DateRange marchToMidApril(String zone) {
    return new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 4, 15), ZoneId.of(zone));
  }

  private static List<CallRecord> distinct(List<CallRecord> calls) {
    Map<String, CallRecord> byId = new LinkedHashMap<>();
    calls.forEach(c -> byId.put(c.id(), c));
    return new ArrayList<>(byId.values());
  }

  private static CallRecord withCost(CallRecord call, Random random) {
    return new CallRecord(
        call.id(),
        call.orgId(),
        call.createdAt(),
        call.updatedAt().plusSeconds(1),
        call.startedAt(),
        call.endedAt(),
        call.type(),
        call.status(),
        call.endedReason(),
        call.assistantId(),
        new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(9)),
        call.costs());
  }
}
