package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.IntegrationRepository;

class InMemoryIntegrationRepositoryTest extends IntegrationRepositoryContract {
  private final InMemoryIntegrationRepository repository = new InMemoryIntegrationRepository();

  @Override
  protected IntegrationRepository repository() {
    return repository;
  }
}
