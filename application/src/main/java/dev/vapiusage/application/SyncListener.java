package dev.vapiusage.application;

import dev.vapiusage.domain.UserId;
import java.time.Instant;

/** Hears a running sync's progress, e.g. to print it; called on the syncing thread. */
@FunctionalInterface
public interface SyncListener {
  SyncListener NONE = (userId, callsStored, callsChanged, reached) -> {};

  /**
   * @param reached the latest call timestamp stored so far
   */
  void progress(UserId userId, long callsStored, long callsChanged, Instant reached);
}
