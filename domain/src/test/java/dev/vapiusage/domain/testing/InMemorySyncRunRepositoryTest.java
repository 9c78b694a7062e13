package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.SyncRunRepository;

class InMemorySyncRunRepositoryTest extends SyncRunRepositoryContract {
  private final InMemorySyncRunRepository repository = new InMemorySyncRunRepository();

  @Override
  protected SyncRunRepository repository() {
    return repository;
  }
}
