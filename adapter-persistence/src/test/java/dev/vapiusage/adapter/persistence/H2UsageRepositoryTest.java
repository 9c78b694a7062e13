package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.testing.UsageRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The UsageRepository contract on embedded H2. */
class H2UsageRepositoryTest extends UsageRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected UsageRepository repository() {
    return database.usage();
  }

  @Override
  protected CallHistory history() {
    return database.callHistory();
  }
}
