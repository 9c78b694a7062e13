package dev.vapiusage.application;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.UsageRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dashboard views that keep what they read while the user's data version stays put. */
class GetDashboardUsageTest {
  private static final DateRange MARCH =
      new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), ZoneId.of("UTC"));
  private final UseCaseFixture app = new UseCaseFixture();
  private final CountingUsage counting = new CountingUsage(app.usage);
  private final GetDashboardUsage dashboard =
      new GetDashboardUsage(
          app.integrations, counting, app.sync, app.clock, Duration.ofMinutes(5), app.versions);

  /** Counts the sums asked of the usage repository it passes everything to. */
  private static final class CountingUsage implements UsageRepository {
    private final UsageRepository stored;
    private final AtomicInteger sums = new AtomicInteger();

    CountingUsage(UsageRepository stored) {
      this.stored = stored;
    }

    @Override
    public StoreResult store(UserId userId, List<CallRecord> calls) {
      return stored.store(userId, calls);
    }

    @Override
    public boolean storeIfNewer(UserId userId, CallRecord call) {
      return stored.storeIfNewer(userId, call);
    }

    @Override
    public boolean storeStatus(UserId userId, CallRecord call, Instant at) {
      return stored.storeStatus(userId, call, at);
    }

    @Override
    public UsageMetrics aggregate(UserId userId, DateRange range) {
      sums.incrementAndGet();
      return stored.aggregate(userId, range);
    }
  }

  private UserId syncedUserWithOneCall() {
    UserId user = anyUserId();
    app.connected(user);
    app.vapi.put(endedCall(UseCaseFixture.NOW.minusSeconds(3600), 60, "0.7"));
    app.sync.sync(SyncCommand.incremental(user));
    return user;
  }

  @Test
  void aSecondViewWithNothingChanged_answersWithoutSummingAgain() {
    UserId user = syncedUserWithOneCall();
    DashboardUsage first = dashboard.usage(new MetricsQuery(user, MARCH));

    DashboardUsage second = dashboard.usage(new MetricsQuery(user, MARCH));

    assertThat(second).isEqualTo(first);
    assertThat(counting.sums).hasValue(1);
  }

  @Test
  void callsStoredByAnyoneElse_showAtTheNextView() {
    UserId user = syncedUserWithOneCall();
    dashboard.usage(new MetricsQuery(user, MARCH));

    app.usage.store(user, List.of(endedCall(UseCaseFixture.NOW.minusSeconds(60), 60, "0.3")));

    assertThat(dashboard.usage(new MetricsQuery(user, MARCH)).metrics().totals().cost())
        .isEqualByComparingTo("1.0");
  }

  @Test
  void anotherRangeOrZone_isSummedOnItsOwn() {
    UserId user = syncedUserWithOneCall();
    dashboard.usage(new MetricsQuery(user, MARCH));

    DateRange newYork = new DateRange(MARCH.start(), MARCH.end(), ZoneId.of("America/New_York"));
    dashboard.usage(new MetricsQuery(user, newYork));

    assertThat(counting.sums).hasValue(2);
  }

  @Test
  void aSyncOutcomeSavedElsewhere_showsAtTheNextView() {
    UserId user = syncedUserWithOneCall();
    dashboard.usage(new MetricsQuery(user, MARCH));
    app.clock.advance(Duration.ofMinutes(1));

    app.sync.sync(SyncCommand.incremental(user));

    assertThat(dashboard.usage(new MetricsQuery(user, MARCH)).lastSyncedAt())
        .isEqualTo(app.clock.instant());
  }

  @Test
  void aKeptViewThatTurnsStale_syncsFirstAsAlways() {
    UserId user = syncedUserWithOneCall();
    dashboard.usage(new MetricsQuery(user, MARCH));
    app.vapi.put(endedCall(UseCaseFixture.NOW.plusSeconds(60), 60, "0.3"));

    app.clock.advance(Duration.ofMinutes(6));
    DashboardUsage view = dashboard.usage(new MetricsQuery(user, MARCH));

    assertThat(view.metrics().totals().cost()).isEqualByComparingTo("1.0");
    assertThat(view.stale()).isFalse();
  }
}
