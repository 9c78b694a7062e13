package dev.vapiusage.application;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.call;
import static dev.vapiusage.domain.testing.TestData.endedCall;
import static dev.vapiusage.domain.testing.TestData.queuedCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyncUsageTest {
  private static final DateRange MARCH =
      new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), ZoneId.of("UTC"));
  private final UseCaseFixture app = new UseCaseFixture();

  private UsageMetrics stored(UserId user) {
    return app.usage.aggregate(user, MARCH);
  }

  @Test
  void givenNotConnected_sync_failsWithNotConnected() {
    assertThatThrownBy(() -> app.sync.sync(SyncCommand.incremental(anyUserId())))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_CONNECTED));
  }

  @Test
  void rangeSync_storesEveryCallCreatedInTheRangeAndOnlyThose() {
    UserId user = anyUserId();
    app.connected(user);
    app.vapi.put(
        List.of(
            endedCall(Instant.parse("2024-03-01T00:00:00Z"), 60, "0.1"),
            endedCall(Instant.parse("2024-03-31T23:59:59.999Z"), 60, "0.2"),
            endedCall(Instant.parse("2024-04-01T00:00:00Z"), 60, "0.4")));

    SyncResult result = app.sync.sync(SyncCommand.ofRange(user, MARCH));

    assertThat(result.syncedCalls()).isEqualTo(2);
    assertThat(result.startDate()).isEqualTo(MARCH.start());
    assertThat(result.endDate()).isEqualTo(MARCH.end());
    assertThat(result.lastSyncedAt()).isEqualTo(UseCaseFixture.NOW);
    assertThat(stored(user).totals().cost()).isEqualByComparingTo("0.3");
    assertThat(app.status.status(user).lastSyncStatus()).isEqualTo(SyncStatus.COMPLETED);
  }

  @Test
  void syncTwice_givesTheSameTotals() {
    UserId user = anyUserId();
    app.connected(user);
    app.vapi.put(
        dev.vapiusage.domain.testing.UsageRepositoryContract.randomCalls(new Random(1), 200));
    DateRange wide =
        new DateRange(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 4, 30), ZoneId.of("UTC"));

    app.sync.sync(SyncCommand.ofRange(user, wide));
    UsageMetrics once = app.usage.aggregate(user, wide);
    SyncResult again = app.sync.sync(SyncCommand.ofRange(user, wide));

    assertThat(app.usage.aggregate(user, wide)).isEqualTo(once);
    assertThat(once.totals().calls()).isEqualTo(200);
    assertThat(again.syncedCalls()).isEqualTo(200);
    assertThat(app.runs.history(user, 1).get(0).outcome().callsChanged()).isZero();
  }

  @Test
  void firstIncrementalSync_coversThisAndThePreviousMonth() {
    UserId user = anyUserId();
    app.connected(user);
    app.vapi.put(
        List.of(
            endedCall(Instant.parse("2024-01-31T23:59:59Z"), 60, "1"),
            endedCall(Instant.parse("2024-02-01T00:00:00Z"), 60, "2"),
            endedCall(Instant.parse("2024-03-15T11:00:00Z"), 60, "4")));

    SyncResult result = app.sync.sync(SyncCommand.incremental(user));

    assertThat(result.syncedCalls()).isEqualTo(2);
    assertThat(result.startDate()).isEqualTo(LocalDate.of(2024, 2, 1));
    assertThat(result.endDate()).isEqualTo(LocalDate.of(2024, 3, 15));
    assertThat(app.cursors.cursor(user)).contains(UseCaseFixture.NOW);
  }

  @Test
  void incrementalSync_picksUpCallsThatEndedAndGotCostedLater() {
    UserId user = anyUserId();
    app.connected(user);
    Instant created = UseCaseFixture.NOW.minusSeconds(120);
    app.vapi.put(queuedCall("late", created));
    app.sync.sync(SyncCommand.incremental(user));
    assertThat(stored(user).totals().cost()).isEqualByComparingTo("0");

    app.clock.advance(Duration.ofMinutes(15));
    CallRecord ended =
        call("late", created)
            .updatedAt(UseCaseFixture.NOW.plusSeconds(600))
            .talked(created.plusSeconds(5), created.plusSeconds(65))
            .cost("0.42")
            .build();
    app.vapi.put(ended);
    SyncResult result = app.sync.sync(SyncCommand.incremental(user));

    assertThat(result.syncedCalls()).isEqualTo(1);
    assertThat(stored(user).totals().cost()).isEqualByComparingTo("0.42");
    assertThat(stored(user).totals().calls()).isEqualTo(1);
    assertThat(stored(user).totals().minutesShown()).isEqualByComparingTo("1");
  }

  @Test
  void incrementalSync_rereadsTheLookBackWindowBeforeItsCursor() {
    UserId user = anyUserId();
    app.connected(user);
    app.sync.sync(SyncCommand.incremental(user));
    // A change stamped 5 minutes before the cursor that only became visible after the last sync.
    Instant created = UseCaseFixture.NOW.minusSeconds(600);
    app.vapi.put(
        call("lagging", created)
            .updatedAt(UseCaseFixture.NOW.minusSeconds(300))
            .talked(created, created.plusSeconds(30))
            .cost("0.5")
            .build());
    app.clock.advance(Duration.ofMinutes(1));

    app.sync.sync(SyncCommand.incremental(user));

    assertThat(stored(user).totals().cost()).isEqualByComparingTo("0.5");
  }

  @Test
  void givenVapiFailingMidway_sync_failsKeepsWhatWasStoredAndTheNextSyncCompletes() {
    UserId user = anyUserId();
    app.connected(user);
    List<CallRecord> calls =
        dev.vapiusage.domain.testing.UsageRepositoryContract.randomCalls(new Random(2), 100);
    app.vapi.put(calls);
    DateRange wide =
        new DateRange(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 4, 30), ZoneId.of("UTC"));
    app.vapi.failAfterBatches(5);

    assertThatThrownBy(() -> app.sync.sync(SyncCommand.ofRange(user, wide)))
        .isInstanceOfSatisfying(
            UsageException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.SYNC_FAILED);
              assertThat(e.getMessage()).startsWith("Failed to sync metrics");
            });
    assertThat(app.usage.count(user)).isEqualTo(15);
    IntegrationStatus failed = app.status.status(user);
    assertThat(failed.lastSyncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(failed.lastSyncError()).isEqualTo(ErrorCode.SYNC_FAILED);
    assertThat(failed.lastSyncedAt()).isNull();

    app.sync.sync(SyncCommand.ofRange(user, wide));

    dev.vapiusage.domain.metrics.UsageAccumulator truth =
        new dev.vapiusage.domain.metrics.UsageAccumulator(wide);
    truth.addAll(calls);
    assertThat(app.usage.aggregate(user, wide)).isEqualTo(truth.toMetrics());
    assertThat(app.status.status(user).lastSyncError()).isNull();
  }

  @Test
  void givenRevokedKey_sync_failsWithInvalidApiKeyAndMarksTheIntegration() {
    UserId user = anyUserId();
    ApiKey key = app.connected(user);
    app.vapi.revoke(key);

    assertThatThrownBy(() -> app.sync.sync(SyncCommand.incremental(user)))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY));

    IntegrationStatus status = app.status.status(user);
    assertThat(status.lastSyncStatus()).isEqualTo(SyncStatus.FAILED);
    assertThat(status.lastSyncError()).isEqualTo(ErrorCode.INVALID_API_KEY);
    SyncRunRecord run = app.runs.history(user, 1).get(0);
    assertThat(run.outcome().error()).isEqualTo(ErrorCode.INVALID_API_KEY);
  }

  @Test
  void givenARunningSyncOfTheUser_sync_isRefusedWithSyncInProgress() {
    UserId user = anyUserId();
    app.connected(user);
    app.lease.tryStart(
        user,
        SyncKind.RANGE,
        CallWindow.created(UseCaseFixture.NOW.minusSeconds(1), UseCaseFixture.NOW),
        UseCaseFixture.NOW,
        Duration.ofMinutes(2));

    assertThatThrownBy(() -> app.sync.sync(SyncCommand.incremental(user)))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SYNC_IN_PROGRESS));
  }

  @Test
  void liveMetrics_equalTheDashboardsStoredMetricsAfterASync() {
    UserId user = anyUserId();
    app.connected(user);
    app.vapi.put(
        dev.vapiusage.domain.testing.UsageRepositoryContract.randomCalls(new Random(5), 300));
    DateRange range =
        new DateRange(
            LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 20), ZoneId.of("America/New_York"));

    app.sync.sync(SyncCommand.ofRange(user, range));

    assertThat(app.liveMetrics.fetch(new MetricsQuery(user, range)))
        .isEqualTo(app.dashboard.usage(new MetricsQuery(user, range)).metrics());
  }

  @Test
  void dashboardView_syncsFirstWhenStaleAndNotWhenFresh() {
    UserId user = anyUserId();
    app.connected(user);
    app.vapi.put(endedCall(UseCaseFixture.NOW.minusSeconds(3600), 60, "0.7"));

    DashboardUsage first = app.dashboard.usage(new MetricsQuery(user, MARCH));
    assertThat(first.metrics().totals().cost()).isEqualByComparingTo("0.7");
    assertThat(first.stale()).isFalse();
    assertThat(first.lastSyncedAt()).isEqualTo(UseCaseFixture.NOW);

    app.vapi.put(endedCall(UseCaseFixture.NOW.minusSeconds(60), 60, "0.3"));
    app.clock.advance(Duration.ofMinutes(4));
    int streams = app.vapi.streamCount();
    assertThat(app.dashboard.usage(new MetricsQuery(user, MARCH)).metrics().totals().cost())
        .isEqualByComparingTo("0.7");
    assertThat(app.vapi.streamCount()).isEqualTo(streams);

    app.clock.advance(Duration.ofMinutes(2));
    assertThat(app.dashboard.usage(new MetricsQuery(user, MARCH)).metrics().totals().cost())
        .isEqualByComparingTo("1.0");
  }

  @Test
  void whileASyncRuns_theStatusShowsItsProgressAndAfterwardsNot() {
    UserId user = anyUserId();
    app.connected(user);
    app.vapi.put(
        dev.vapiusage.domain.testing.UsageRepositoryContract.randomCalls(new Random(9), 30));
    GetIntegrationStatus status = new GetIntegrationStatus(app.integrations, app.runs);
    List<IntegrationStatus> seen = new java.util.ArrayList<>();
    SyncUsage watched =
        new SyncUsage(
            app.integrations,
            app.vault,
            app.vapi,
            app.usage,
            app.lease,
            app.cursors,
            app.clock,
            SyncSettings.DEFAULTS,
            (u, stored, changed, reached) -> seen.add(status.status(u)));
    DateRange wide =
        new DateRange(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 4, 30), ZoneId.of("UTC"));

    watched.sync(SyncCommand.ofRange(user, wide));

    // Ten batches of three; batches that wait while one is stored are stored together.
    assertThat(seen).isNotEmpty().hasSizeLessThanOrEqualTo(10);
    assertThat(seen).allSatisfy(s -> assertThat(s.lastSyncStatus()).isEqualTo(SyncStatus.RUNNING));
    List<Long> progress =
        seen.stream()
            .map(IntegrationStatus::syncProgress)
            .collect(java.util.stream.Collectors.toList());
    assertThat(progress)
        .isSorted()
        .doesNotHaveDuplicates()
        .allMatch(p -> p % 3 == 0)
        .last()
        .isEqualTo(30L);
    assertThat(status.status(user).syncProgress()).isNull();
    assertThat(status.status(user).lastSyncStatus()).isEqualTo(SyncStatus.COMPLETED);
  }

  @Test
  void dashboardView_ofANeverConnectedUser_isZeros() {
    DashboardUsage usage = app.dashboard.usage(new MetricsQuery(anyUserId(), MARCH));
    assertThat(usage.metrics()).isEqualTo(UsageMetrics.empty(MARCH));
    assertThat(usage.lastSyncedAt()).isNull();
  }
}
