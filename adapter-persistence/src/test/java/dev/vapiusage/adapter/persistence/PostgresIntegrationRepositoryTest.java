package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.testing.IntegrationRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The IntegrationRepository contract on PostgreSQL. */
class PostgresIntegrationRepositoryTest extends IntegrationRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected IntegrationRepository repository() {
    return database.integrations();
  }
}
