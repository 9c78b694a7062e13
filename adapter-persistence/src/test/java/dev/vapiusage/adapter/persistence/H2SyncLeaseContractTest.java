package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.testing.SyncLeaseContract;
import org.junit.jupiter.api.BeforeAll;

/** The SyncLease contract on embedded H2. */
class H2SyncLeaseContractTest extends SyncLeaseContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected SyncLease lease() {
    return database.syncLease();
  }
}
