package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.testing.KeyVaultContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The KeyVault contract for the AES-GCM vault whose master key is kept in embedded H2. */
class H2KeyVaultTest extends KeyVaultContract {
  private static Database database;
  private static KeyVault vault;

  @BeforeAll
  static void openVault() {
    database = TestDatabases.freshH2();
    vault = database.keyVault(KeyVaultTest.SECRET);
  }

  @AfterAll
  static void closeDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected KeyVault vault() {
    return vault;
  }
}
