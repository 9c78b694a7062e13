package dev.vapiusage.adapter.persistence;

/** The sync lease on PostgreSQL, raced through two pools. */
class PostgresSyncLeaseTest extends SyncLeaseTests {
  @Override
  protected Database[] openTwice() {
    PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
    return new Database[] {
      Database.connect(
          target.jdbcUrl(), target.user(), target.password(), target.schema(), TestDatabases.FAST),
      Database.connect(
          target.jdbcUrl(), target.user(), target.password(), target.schema(), TestDatabases.FAST)
    };
  }
}
