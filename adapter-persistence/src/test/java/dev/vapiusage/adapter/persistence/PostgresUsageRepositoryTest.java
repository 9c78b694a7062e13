package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.testing.UsageRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The UsageRepository contract on PostgreSQL. */
class PostgresUsageRepositoryTest extends UsageRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
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
