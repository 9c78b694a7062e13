package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.testing.IntegrationRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The IntegrationRepository contract on embedded H2. */
class H2IntegrationRepositoryTest extends IntegrationRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected IntegrationRepository repository() {
    return database.integrations();
  }
}
