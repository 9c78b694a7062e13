package dev.vapiusage.adapter.persistence;

/** rotate-key on the embedded H2 database. */
class H2KeyRotationTest extends KeyRotationTests {
  @Override
  protected Database openFreshDatabase() {
    return TestDatabases.freshH2();
  }
}
