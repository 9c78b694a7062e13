package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.testing.SyncLeaseContract;
import org.junit.jupiter.api.BeforeAll;

/** The SyncLease contract on PostgreSQL. */
class PostgresSyncLeaseContractTest extends SyncLeaseContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected SyncLease lease() {
    return database.syncLease();
  }
}
