package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;

class InMemoryCallHistoryTest extends CallHistoryContract {
  private final InMemoryUsageRepository repository = new InMemoryUsageRepository();

  @Override
  protected UsageRepository usage() {
    return repository;
  }

  @Override
  protected CallHistory history() {
    return repository;
  }
}
