package dev.vapiusage.domain.port;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The per-user sync lease that keeps two runs of one user apart, across processes when the store is
 * shared. Each step of the lease is also a step of the run it belongs to, taken together so that no
 * run is ever logged without its lease: taking the lease starts a run in the run log ({@link
 * SyncRuns}), renewing records its progress, releasing records its outcome. Lease times are the
 * callers' clocks. Thread-safe.
 */
public interface SyncLease {

  /**
   * Takes the user's lease until {@code now + lease} and logs the new run, unless another run holds
   * an unexpired lease: then it logs nothing and answers empty.
   */
  Optional<SyncRun> tryStart(
      UserId userId, SyncKind kind, CallWindow window, Instant now, Duration lease);

  /**
   * Extends a running run's lease and logs how far it got, so its progress is visible to every
   * process; answers false when the run no longer holds the lease.
   */
  boolean renew(SyncRun run, long callsSeen, long callsChanged, Instant now, Duration lease);

  /** Logs the outcome and releases the lease. */
  void finish(SyncRun run, SyncOutcome outcome, Instant now);
}
