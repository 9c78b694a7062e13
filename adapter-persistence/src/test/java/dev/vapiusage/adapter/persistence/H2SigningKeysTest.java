package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SigningKeys;
import dev.vapiusage.domain.testing.SigningKeysContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The SigningKeys contract on embedded H2, the second instance a second pool on the same file. */
class H2SigningKeysTest extends SigningKeysContract {
  private static Database database;
  private static Database second;

  @BeforeAll
  static void openDatabases() {
    Path dir = TestDatabases.temporaryFolder("vapi-usage-h2-keys-");
    database = Database.embedded(dir, TestDatabases.FAST);
    second = Database.embedded(dir, TestDatabases.FAST);
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
