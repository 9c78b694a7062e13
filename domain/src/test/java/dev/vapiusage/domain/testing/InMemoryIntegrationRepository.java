package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.SyncState;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The integration repository in memory; every save raises the user's data version. */
public final class InMemoryIntegrationRepository implements IntegrationRepository {
  private final ConcurrentHashMap<UserId, Integration> byUser = new ConcurrentHashMap<>();
  private final InMemoryDataVersions versions;

  public InMemoryIntegrationRepository() {
    this(new InMemoryDataVersions());
  }

  public InMemoryIntegrationRepository(InMemoryDataVersions versions) {
    this.versions = versions;
  }

  @Override
  public Optional<Integration> find(UserId userId) {
    return Optional.ofNullable(byUser.get(userId));
  }

  @Override
  public void save(Integration integration) {
    byUser.put(integration.userId(), integration);
    versions.raise(integration.userId());
  }

  @Override
  public void saveSync(UserId userId, SyncState sync, Instant now) {
    if (byUser.computeIfPresent(userId, (id, current) -> current.withSync(sync, now)) != null) {
      versions.raise(userId);
    }
  }

  @Override
  public List<UserId> connectedUsers() {
    return byUser.values().stream()
        .filter(Integration::isConnected)
        .map(Integration::userId)
        .sorted((a, b) -> a.value().compareTo(b.value()))
        .collect(Collectors.toList());
  }
}
