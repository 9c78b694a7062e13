package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SyncRunRepository;
import dev.vapiusage.domain.testing.SyncRunRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The SyncRunRepository contract on embedded H2. */
class H2SyncRunRepositoryTest extends SyncRunRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected SyncRunRepository repository() {
    return database.syncRuns();
  }
}
