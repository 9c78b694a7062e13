package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncCursors;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Each user's sync cursor in memory. */
public final class InMemorySyncCursors implements SyncCursors {
  private final Map<UserId, Instant> cursors = new HashMap<>();

  @Override
  public synchronized Optional<Instant> cursor(UserId userId) {
    return Optional.ofNullable(cursors.get(userId));
  }

  @Override
  public synchronized void advanceCursor(UserId userId, Instant cursor) {
    cursors.merge(userId, cursor, (old, proposed) -> proposed.isAfter(old) ? proposed : old);
  }
}
