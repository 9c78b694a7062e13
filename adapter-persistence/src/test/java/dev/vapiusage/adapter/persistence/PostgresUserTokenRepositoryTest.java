package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.UserTokenRepository;
import dev.vapiusage.domain.testing.UserTokenRepositoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The UserTokenRepository contract on PostgreSQL. */
class PostgresUserTokenRepositoryTest extends UserTokenRepositoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected UserTokenRepository repository() {
    return database.userTokens();
  }
}
