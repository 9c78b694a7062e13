package dev.vapiusage.application;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.DataVersions;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tells a watcher of open dashboards which users' data changed: it reads the data version of every
 * watched user at once, and a version other than the one the watcher saw last means a change, made
 * by this process or by any other on the same database. Thread-safe.
 */
public final class WatchUsage {
  private final DataVersions versions;

  public WatchUsage(DataVersions versions) {
    this.versions = Objects.requireNonNull(versions, "versions");
  }

  /** Each user's data version now, one entry per user asked for; none for an empty collection. */
  public Map<UserId, Long> versions(Collection<UserId> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    if (userIds.isEmpty()) {
      return Map.of();
    }
    // A set: the caller may hold one entry per open stream, and a user reads once however many.
    return Map.copyOf(versions.current(Set.copyOf(userIds)));
  }
}
