package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.testing.UsageRepositoryContract;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Storage and sums on PostgreSQL, plus what only its rollups and its stricter text type add. */
class PostgresUsageStorageTest extends UsageStorageTests {
  private static final DateRange MARCH =
      new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), ZoneId.of("UTC"));

  @Override
  protected UsageRepository repository() {
    return TestDatabases.sharedPostgres().usage();
  }

  @Test
  void aBatchThatFailsPartWay_storesNothingAndSaysSoWithoutDetail() {
    UserId user = anyUserId();
    Instant t = Instant.parse("2024-03-05T12:00:00Z");
    repository().store(user, List.of(call("kept", t).cost("1").build()));
    UsageMetrics before = repository().aggregate(user, MARCH);
    // PostgreSQL text cannot hold U+0000, so the second call fails the whole batch.
    List<CallRecord> batch =
        List.of(
            call("new-1", t).cost("5").build(),
            call("new-2", t).endedReason("bad\u0000reason").build(),
            call("kept", t).cost("9").build());

    assertThatThrownBy(() -> repository().store(user, batch))
        .isInstanceOfSatisfying(
            UsageException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
              assertThat(e.getMessage()).isEqualTo("The database failed to store calls");
            });
    assertThat(repository().aggregate(user, MARCH)).isEqualTo(before);
  }

  @Test
  void aBatchThatLooksNewButHoldsStoredCalls_isStoredExactly() {
    UserId user = anyUserId();
    List<CallRecord> calls =
        new java.util.ArrayList<>(UsageRepositoryContract.randomCalls(new Random(16), 2_600));
    calls.sort(java.util.Comparator.comparing(CallRecord::id));
    // Stored before: calls in each of the three chunks that the chunk's sample (every 1000/16th
    // call, or 600/16th in the last) does not look up, so the COPY meets them.
    List<CallRecord> earlier =
        List.of(calls.get(1), calls.get(1_203), withNewCost(calls.get(2_577)));
    repository().store(user, earlier);

    assertThat(repository().store(user, calls)).isEqualTo(new StoreResult(2_600, 2_598));

    DateRange range =
        new DateRange(
            LocalDate.of(2024, 2, 1), LocalDate.of(2024, 4, 30), ZoneId.of("Europe/Berlin"));
    UsageAccumulator expected = new UsageAccumulator(range);
    expected.addAll(calls);
    assertThat(repository().aggregate(user, range)).isEqualTo(expected.toMetrics());
  }

  private static CallRecord withNewCost(CallRecord call) {
    return new CallRecord(
        call.id(),
        call.orgId(),
        call.createdAt(),
        call.updatedAt(),
        call.startedAt(),
        call.endedAt(),
        call.type(),
        call.status(),
        call.endedReason(),
        call.assistantId(),
        new java.math.BigDecimal("123.456"),
        call.costs());
  }

  @Test
  void aggregating_rebuildsTheDirtyDaysItReadsAndLeavesTheOthersMarked() {
    UserId user = anyUserId();
    repository().store(user, UsageRepositoryContract.randomCalls(new Random(15), 300));
    assertThat(dirtyDays(user)).isGreaterThan(40);

    repository()
        .aggregate(
            user,
            new DateRange(
                LocalDate.of(2024, 3, 10), LocalDate.of(2024, 3, 12), ZoneId.of("Asia/Kolkata")));

    // The range touches four UTC days (09 to 12); the rest stay marked for a later reader.
    assertThat(dirtyDaysBetween(user, "2024-03-09", "2024-03-12")).isZero();
    assertThat(dirtyDaysBetween(user, "2024-03-13", "2024-03-13")).isOne();
    assertThat(rollupRows(user)).isPositive();
  }

  private static int dirtyDays(UserId user) {
    return dirtyDaysBetween(user, "1900-01-01", "2999-01-01");
  }

  private static int dirtyDaysBetween(UserId user, String from, String to) {
    return jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT COUNT(*) FROM usage_dirty_day WHERE user_id = :u AND day BETWEEN CAST(:f AS date) AND CAST(:t AS date)")
                    .bind("u", user.value())
                    .bind("f", from)
                    .bind("t", to)
                    .mapTo(Integer.class)
                    .one());
  }

  private static int rollupRows(UserId user) {
    return jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM usage_quarter_hour WHERE user_id = :u")
                    .bind("u", user.value())
                    .mapTo(Integer.class)
                    .one());
  }

  private static Jdbi jdbi() {
    return Jdbi.create(TestDatabases.sharedPostgres().dataSource());
  }
}
