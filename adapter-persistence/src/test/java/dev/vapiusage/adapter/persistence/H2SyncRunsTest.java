package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.port.SyncRuns;
import dev.vapiusage.domain.testing.SyncRunsContract;
import org.junit.jupiter.api.BeforeAll;

/** The SyncRuns contract on embedded H2. */
class H2SyncRunsTest extends SyncRunsContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected SyncLease lease() {
    return database.syncLease();
  }

  @Override
  protected SyncRuns runs() {
    return database.syncRuns();
  }
}
