package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;

class InMemoryUsageRepositoryTest extends UsageRepositoryContract {
  private final InMemoryUsageRepository repository = new InMemoryUsageRepository();

  @Override
  protected UsageRepository repository() {
    return repository;
  }

  @Override
  protected CallHistory history() {
    return repository;
  }
}
