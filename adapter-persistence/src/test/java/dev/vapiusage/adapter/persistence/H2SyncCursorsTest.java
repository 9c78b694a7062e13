package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SyncCursors;
import dev.vapiusage.domain.testing.SyncCursorsContract;
import org.junit.jupiter.api.BeforeAll;

/** The SyncCursors contract on embedded H2. */
class H2SyncCursorsTest extends SyncCursorsContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected SyncCursors cursors() {
    return database.syncCursors();
  }
}
