package dev.vapiusage.application;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.SyncOutcome;
import java.time.Instant;

/**
 * Hears a running sync's progress and end, e.g. to print or count them; called on the syncing
 * thread.
 */
@FunctionalInterface
public interface SyncListener {
  SyncListener NONE = (userId, callsStored, callsChanged, reached) -> {};

  /**
   * After each stored batch.
   *
   * @param reached the latest call timestamp stored so far
   */
  void progress(UserId userId, long callsStored, long callsChanged, Instant reached);

  /** When a started run ends, completed or failed. */
  default void finished(UserId userId, SyncOutcome outcome) {}

  /** Tells {@code first}, then {@code second}. */
  static SyncListener both(SyncListener first, SyncListener second) {
    return new SyncListener() {
      @Override
      public void progress(UserId userId, long callsStored, long callsChanged, Instant reached) {
        first.progress(userId, callsStored, callsChanged, reached);
        second.progress(userId, callsStored, callsChanged, reached);
      }

      @Override
      public void finished(UserId userId, SyncOutcome outcome) {
        first.finished(userId, outcome);
        second.finished(userId, outcome);
      }
    };
  }
}
