package dev.vapiusage.application;

import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to sync a user's calls: those created in a range, or (no range) every change since the
 * last sync.
 */
public record SyncCommand(UserId userId, Optional<DateRange> range) {
  public SyncCommand {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(range, "range");
  }

  public static SyncCommand incremental(UserId userId) {
    return new SyncCommand(userId, Optional.empty());
  }

  public static SyncCommand ofRange(UserId userId, DateRange range) {
    return new SyncCommand(userId, Optional.of(range));
  }
}
