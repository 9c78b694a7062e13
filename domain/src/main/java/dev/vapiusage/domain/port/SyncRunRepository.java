package dev.vapiusage.domain.port;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of sync runs, the per-user incremental cursor, and the per-user sync lease that keeps
 * two runs of one user apart, across processes when the store is shared. Thread-safe.
 */
public interface SyncRunRepository {

  /**
   * Records a new run and takes the user's lease until {@code now + lease}, unless another run
   * holds an unexpired lease: then it records nothing and answers empty.
   */
  Optional<SyncRun> tryStart(UserId userId, SyncKind kind, CallWindow window, Instant now, Duration lease);

  /**
   * Extends a running run's lease and records how far it got, so its progress is visible to
   * every process; answers false when the run no longer holds the lease.
   */
  boolean renew(SyncRun run, long callsSeen, long callsChanged, Instant now, Duration lease);

  /** Records the outcome and releases the lease. */
  void finish(SyncRun run, SyncOutcome outcome, Instant now);

  /** The instant up to which every change is stored, for the next incremental sync. */
  Optional<Instant> cursor(UserId userId);

  /** Moves the cursor; it never moves backwards. */
  void advanceCursor(UserId userId, Instant cursor);

  /** The user's runs, newest first. */
  List<SyncRunRecord> history(UserId userId, int limit);
}
