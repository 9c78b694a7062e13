package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.http.Redacted;
import dev.vapiusage.application.SyncAllConnected;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a background sync round every {@code SYNC_INTERVAL}. Rounds never overlap in one process,
 * and the database's per-user lease keeps rounds of other processes off the same user.
 */
final class BackgroundSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundSync.class);

  private final SyncAllConnected syncAll;
  private final Duration interval;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "background-sync");
        thread.setDaemon(true);
        return thread;
      });

  BackgroundSync(SyncAllConnected syncAll, Duration interval) {
    this.syncAll = syncAll;
    this.interval = interval;
  }

  BackgroundSync start() {
    if (interval.isZero()) {
      LOG.info("Background sync is off (SYNC_INTERVAL=0)");
      return this;
    }
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(this::round, Math.min(millis, 10_000), millis, TimeUnit.MILLISECONDS);
    LOG.info("Background sync every {}", interval);
    return this;
  }

  private void round() {
    try {
      SyncAllConnected.Round round = syncAll.syncAll();
      LOG.info("Background sync round: {} synced, {} skipped, {} failed", round.synced(), round.skipped(), round.failed());
    } catch (RuntimeException e) {
      // A failed round (e.g. the database briefly down) must not cancel the schedule.
      LOG.warn("Background sync round failed: {}", Redacted.describe(e));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
