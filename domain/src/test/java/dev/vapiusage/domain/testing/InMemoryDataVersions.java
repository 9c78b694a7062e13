package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.DataVersions;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Data versions in memory, raised by the in-memory repositories that share this object. */
public final class InMemoryDataVersions implements DataVersions {
  private final ConcurrentHashMap<UserId, Long> byUser = new ConcurrentHashMap<>();

  @Override
  public long current(UserId userId) {
    return byUser.getOrDefault(userId, 0L);
  }

  @Override
  public Map<UserId, Long> current(Collection<UserId> userIds) {
    Map<UserId, Long> versions = new HashMap<>();
    userIds.forEach(userId -> versions.put(userId, byUser.getOrDefault(userId, 0L)));
    return versions;
  }

  void raise(UserId userId) {
    byUser.merge(userId, 1L, Long::sum);
  }
}
