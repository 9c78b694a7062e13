package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SyncRunRepository;
import dev.vapiusage.domain.testing.SyncRunRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The SyncRunRepository contract on PostgreSQL. */
class PostgresSyncRunRepositoryTest extends SyncRunRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected SyncRunRepository repository() {
    return database.syncRuns();
  }
}
