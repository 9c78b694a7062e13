package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.UserTokenRepository;
import dev.vapiusage.domain.testing.UserTokenRepositoryContract;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  @Test
  void givenFoundToken_deletedByHand_findUser_isEmptyAtOnce() {
    UserId user = anyUserId();
    TokenHash hash = TokenHash.of(UUID.randomUUID().toString());
    repository().addToken(user, hash, Instant.now());
    assertThat(repository().findUser(hash)).contains(user);

    String table = database.schema().map(schema -> schema + ".").orElse("") + "api_token";
    Jdbi.create(database.dataSource())
        .useHandle(
            handle ->
                handle
                    .createUpdate("DELETE FROM " + table + " WHERE token_hash = :hash")
                    .bind("hash", hash.hex())
                    .execute());

    assertThat(repository().findUser(hash)).isEmpty();
  }
}
