package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.DataVersions;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.testing.DataVersionsContract;
import org.junit.jupiter.api.BeforeAll;

/** The DataVersions contract on PostgreSQL. */
class PostgresDataVersionsTest extends DataVersionsContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected DataVersions versions() {
    return database.versions();
  }

  @Override
  protected IntegrationRepository integrations() {
    return database.integrations();
  }

  @Override
  protected UsageRepository usage() {
    return database.usage();
  }
}
