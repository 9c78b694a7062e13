package dev.vapiusage;

import dev.vapiusage.adapter.http.Redacted;
import dev.vapiusage.application.SyncAllConnected;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a background sync round every {@code interval}. Rounds never overlap in one process, and the
 * database's per-user lease keeps rounds of other processes off the same user. The rounds run on
 * the host's scheduler when it gives one, else on a daemon thread of this class's own.
 */
final class BackgroundSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundSync.class);
  private static final long FIRST_ROUND_WITHIN_MILLIS = 10_000;

  private final SyncAllConnected syncAll;
  private final Duration interval;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private ScheduledFuture<?> rounds;

  /** {@code scheduler} is null to use a thread of its own. */
  BackgroundSync(SyncAllConnected syncAll, Duration interval, ScheduledExecutorService scheduler) {
    this.syncAll = syncAll;
    this.interval = interval;
    this.ownsExecutor = scheduler == null;
    this.executor =
        scheduler != null
            ? scheduler
            : Executors.newSingleThreadScheduledExecutor(
                runnable -> {
                  Thread thread = new Thread(runnable, "vapi-usage-background-sync");
                  thread.setDaemon(true);
                  return thread;
                });
  }

  synchronized BackgroundSync start() {
    if (rounds != null) {
      return this;
    }
    if (interval.isZero()) {
      LOG.info("Background sync is off (SYNC_INTERVAL=0)");
      return this;
    }
    long millis = interval.toMillis();
    rounds =
        executor.scheduleWithFixedDelay(
            this::round,
            Math.min(millis, FIRST_ROUND_WITHIN_MILLIS),
            millis,
            TimeUnit.MILLISECONDS);
    LOG.info("Background sync every {}", interval);
    return this;
  }

  private void round() {
    try {
      SyncAllConnected.Round round = syncAll.syncAll();
      LOG.info(
          "Background sync round: {} synced, {} skipped, {} failed",
          round.synced(),
          round.skipped(),
          round.failed());
    } catch (RuntimeException e) {
      // A failed round (e.g. the database briefly down) must not cancel the schedule.
      LOG.warn("Background sync round failed: {}", Redacted.describe(e));
    }
  }

  @Override
  public synchronized void close() {
    if (rounds != null) {
      rounds.cancel(true);
    }
    if (ownsExecutor) {
      executor.shutdownNow();
    }
  }
}
