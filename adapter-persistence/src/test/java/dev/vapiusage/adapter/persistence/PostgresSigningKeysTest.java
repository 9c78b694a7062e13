package dev.vapiusage.adapter.persistence;

import dev.vapiusage.adapter.persistence.PostgresTestDatabase.Target;
import dev.vapiusage.domain.port.SigningKeys;
import dev.vapiusage.domain.testing.SigningKeysContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SigningKeys contract on PostgreSQL, the second instance a second pool on the schema. */
class PostgresSigningKeysTest extends SigningKeysContract {
  private static Database database;
  private static Database second;

  @BeforeAll
  static void openDatabases() {
    Target target = PostgresTestDatabase.freshSchema();
    database =
        Database.connect(
            target.jdbcUrl(),
            target.user(),
            target.password(),
            target.schema(),
            TestDatabases.FAST);
    second =
        Database.connect(
            target.jdbcUrl(),
            target.user(),
            target.password(),
            target.schema(),
            TestDatabases.FAST);
  }

  @AfterAll
  static void closeDatabases() {
    second.close();
    database.close();
  }

  @Override
  protected SigningKeys keys() {
    return database.signingKeys();
  }

  @Override
  protected SigningKeys otherInstance() {
    return second.signingKeys();
  }
}
