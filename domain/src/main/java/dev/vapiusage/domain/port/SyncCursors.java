package dev.vapiusage.domain.port;

import dev.vapiusage.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/** Each user's incremental sync cursor. Thread-safe. */
public interface SyncCursors {

  /** The instant up to which every change is stored, for the next incremental sync. */
  Optional<Instant> cursor(UserId userId);

  /** Moves the cursor; it never moves backwards. */
  void advanceCursor(UserId userId, Instant cursor);
}
