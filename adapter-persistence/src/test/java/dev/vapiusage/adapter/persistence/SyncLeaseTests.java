package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncRunRepository;
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
      SyncRun crashed = first.syncRuns().tryStart(user, SyncKind.RANGE, WINDOW, T0, LEASE).orElseThrow();
      Instant later = T0.plus(LEASE).plusSeconds(1);
      assertThat(race(user, later)).isEqualTo(1);
      assertThat(first.syncRuns().renew(crashed, 0, 0, later, LEASE)).isFalse();
    }
  }

  @Test
  void aRunStartedThroughOnePool_keepsTheOtherOut() {
    UserId user = anyUserId();
    SyncRun run = first.syncRuns().tryStart(user, SyncKind.INCREMENTAL, WINDOW, T0, LEASE).orElseThrow();
    assertThat(second.syncRuns().tryStart(user, SyncKind.RANGE, WINDOW, T0.plusSeconds(5), LEASE)).isEmpty();
    assertThat(second.syncRuns().renew(run, 0, 0, T0.plusSeconds(10), LEASE)).isTrue();
    first.syncRuns().finish(run, dev.vapiusage.domain.sync.SyncOutcome.completed(1, 1), T0.plusSeconds(20));
    assertThat(second.syncRuns().tryStart(user, SyncKind.RANGE, WINDOW, T0.plusSeconds(21), LEASE)).isPresent();
  }

  /** Starts {@link #RACERS} runs of one user at once, half through each pool; returns how many started. */
  private int race(UserId user, Instant now) throws Exception {
    CyclicBarrier start = new CyclicBarrier(RACERS);
    List<Future<Optional<SyncRun>>> results = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      SyncRunRepository runs = (i % 2 == 0 ? first : second).syncRuns();
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
