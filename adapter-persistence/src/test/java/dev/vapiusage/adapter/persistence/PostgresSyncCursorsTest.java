package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SyncCursors;
import dev.vapiusage.domain.testing.SyncCursorsContract;
import org.junit.jupiter.api.BeforeAll;

/** The SyncCursors contract on PostgreSQL. */
class PostgresSyncCursorsTest extends SyncCursorsContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected SyncCursors cursors() {
    return database.syncCursors();
  }
}
