package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.testing.UsageRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The UsageRepository contract on PostgreSQL without the rollups: the direct summing that zones
 * with midnights off the quarter hour (and the fallback under heavy writes) use.
 */
class PostgresRawSumsUsageRepositoryTest extends UsageRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgresWithoutRollups();
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
