package dev.vapiusage.adapter.persistence;

/** rotate-key on PostgreSQL. */
class PostgresKeyRotationTest extends KeyRotationTests {
  @Override
  protected Database openFreshDatabase() {
    return PostgresTestDatabase.openFresh(TestDatabases.FAST);
  }
}
