package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sync lease under contention: runs racing for one user through two independent connection
 * pools (as two processes would) never both win. Subclasses supply the two databases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SyncLeaseTests {
  private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final CallWindow WINDOW = CallWindow.created(T0.minusSeconds(3600), T0);
  private static final int RACERS = 8;

  private Database first;
  private Database second;
  private ExecutorService threads;

  /** Two {@link Database} objects, each with its own pool, on one database. */
  protected abstract Database[] openTwice();

  @BeforeAll
  void open() {
    Database[] pair = openTwice();
    first = pair[0];
    second = pair[1];
    threads = Executors.newFixedThreadPool(RACERS);
  }

  @AfterAll
  void close() {
    threads.shutdownNow();
    second.close();
    first.close();
  }

  @Test
  void racersForANewUser_exactlyOneStarts() throws Exception {
    for (int round = 0; round < 20; round++) {
      UserId user = anyUserId();
      assertThat(race(user, T0)).isEqualTo(1);
    }
  }

  @Test
  void racersForAnExpiredLease_exactlyOneTakesItOver() throws Exception {
    for (int round = 0; round < 20; round++) {
      UserId user = anyUserId();
      SyncRun crashed =
          first.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0, LEASE).orElseThrow();
      Instant later = T0.plus(LEASE).plusSeconds(1);
      assertThat(race(user, later)).isEqualTo(1);
      assertThat(first.syncLease().renew(crashed, 0, 0, later, LEASE)).isFalse();
    }
  }

  @Test
  void aRunStartedThroughOnePool_keepsTheOtherOut() {
    UserId user = anyUserId();
    SyncRun run =
        first.syncLease().tryStart(user, SyncKind.INCREMENTAL, WINDOW, T0, LEASE).orElseThrow();
    assertThat(second.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0.plusSeconds(5), LEASE))
        .isEmpty();
    assertThat(second.syncLease().renew(run, 0, 0, T0.plusSeconds(10), LEASE)).isTrue();
    first
        .syncLease()
        .finish(run, dev.vapiusage.domain.sync.SyncOutcome.completed(1, 1), T0.plusSeconds(20));
    assertThat(second.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0.plusSeconds(21), LEASE))
        .isPresent();
  }

  @Test
  void aLeaseWhoseProcessOnThisHostIsGone_isTakenOverAtOnceAndItsRunRecordedFailed()
      throws Exception {
    UserId user = anyUserId();
    SyncRun killed =
        first.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0, LEASE).orElseThrow();
    setHolder(
        user, new LeaseHolder(LeaseHolder.thisProcess().machine(), goneProcessId(), 1).text());

    Optional<SyncRun> next =
        second.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0.plusSeconds(1), LEASE);

    assertThat(next).isPresent();
    assertThat(first.syncLease().renew(killed, 0, 0, T0.plusSeconds(2), LEASE)).isFalse();
    var abandoned =
        second.syncRuns().history(user, 10).stream()
            .filter(r -> r.run().runId().equals(killed.runId()))
            .findFirst()
            .orElseThrow();
    assertThat(abandoned.outcome().status()).isEqualTo(dev.vapiusage.domain.SyncStatus.FAILED);
    assertThat(abandoned.outcome().error()).isEqualTo(dev.vapiusage.domain.ErrorCode.SYNC_FAILED);
  }

  @Test
  void aRunTakenOverAfterItsLeaseExpired_staysRecordedAsFailedWhenItFinishesLate() {
    UserId user = anyUserId();
    SyncRun slow =
        first.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0, LEASE).orElseThrow();
    Instant later = T0.plus(LEASE).plusSeconds(1);
    SyncRun next =
        second.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, later, LEASE).orElseThrow();

    first
        .syncLease()
        .finish(slow, dev.vapiusage.domain.sync.SyncOutcome.completed(5, 5), later.plusSeconds(1));

    var record =
        second.syncRuns().history(user, 10).stream()
            .filter(r -> r.run().runId().equals(slow.runId()))
            .findFirst()
            .orElseThrow();
    assertThat(record.outcome().status()).isEqualTo(dev.vapiusage.domain.SyncStatus.FAILED);
    // The late finish did not free the lease of the run that took over.
    assertThat(
            first.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, later.plusSeconds(2), LEASE))
        .isEmpty();
    assertThat(second.syncLease().renew(next, 0, 0, later.plusSeconds(3), LEASE)).isTrue();
  }

  @Test
  void aLeaseHeldOnAnotherHost_isOnlyTakenOverWhenItExpires() throws Exception {
    UserId user = anyUserId();
    first.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0, LEASE).orElseThrow();
    setHolder(user, new LeaseHolder("another-host-" + user.value(), goneProcessId(), 1).text());

    assertThat(second.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0.plusSeconds(1), LEASE))
        .isEmpty();
    assertThat(
            second
                .syncLease()
                .tryStart(user, SyncKind.RANGE, WINDOW, T0.plus(LEASE).plusSeconds(1), LEASE))
        .isPresent();
  }

  @Test
  void aLeaseHeldByALiveProcess_keepsOthersOut() {
    UserId user = anyUserId();
    first.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0, LEASE).orElseThrow();

    // The holder recorded is this very process, which is alive.
    assertThat(second.syncLease().tryStart(user, SyncKind.RANGE, WINDOW, T0.plusSeconds(1), LEASE))
        .isEmpty();
  }

  /** The id of a process that has ended. */
  private static long goneProcessId() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  private void setHolder(UserId user, String holder) {
    org.jdbi.v3.core.Jdbi.create(first.dataSource())
        .useHandle(
            h ->
                h.createUpdate("UPDATE sync_lease SET holder = :holder WHERE user_id = :user")
                    .bind("holder", holder)
                    .bind("user", user.value())
                    .execute());
  }

  /**
   * Starts {@link #RACERS} runs of one user at once, half through each pool; returns how many
   * started.
   */
  private int race(UserId user, Instant now) throws Exception {
    CyclicBarrier start = new CyclicBarrier(RACERS);
    List<Future<Optional<SyncRun>>> results = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      SyncLease runs = (i % 2 == 0 ? first : second).syncLease();
      results.add(
          threads.submit(
              () -> {
                start.await();
                return runs.tryStart(user, SyncKind.RANGE, WINDOW, now, LEASE);
              }));
    }
    int started = 0;
    for (Future<Optional<SyncRun>> result : results) {
      if (result.get().isPresent()) {
        started++;
      }
    }
    return started;
  }
}
