package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.port.AssistantNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Assistant rosters in memory; replacing a roster whose names or known ids differ raises the user's
 * data version (a new read time alone does not).
 */
public final class InMemoryAssistantNames implements AssistantNames {
  private final Map<UserId, AssistantRoster> byUser = new ConcurrentHashMap<>();
  private final InMemoryDataVersions versions;

  public InMemoryAssistantNames() {
    this(new InMemoryDataVersions());
  }

  public InMemoryAssistantNames(InMemoryDataVersions versions) {
    this.versions = versions;
  }

  @Override
  public AssistantRoster roster(UserId userId) {
    return byUser.getOrDefault(userId, AssistantRoster.NEVER_READ);
  }

  @Override
  public synchronized void replace(UserId userId, AssistantRoster roster) {
    AssistantRoster old = roster(userId);
    byUser.put(userId, roster);
    if (!old.names().equals(roster.names()) || !old.known().equals(roster.known())) {
      versions.raise(userId);
    }
  }

  @Override
  public synchronized void delete(UserId userId) {
    AssistantRoster old = byUser.remove(userId);
    if (old != null && !(old.names().isEmpty() && old.known().isEmpty())) {
      versions.raise(userId);
    }
  }
}
