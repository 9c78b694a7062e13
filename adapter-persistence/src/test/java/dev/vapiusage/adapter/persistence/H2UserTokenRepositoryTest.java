package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.UserTokenRepository;
import dev.vapiusage.domain.testing.UserTokenRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The UserTokenRepository contract on embedded H2. */
class H2UserTokenRepositoryTest extends UserTokenRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected UserTokenRepository repository() {
    return database.userTokens();
  }
}
