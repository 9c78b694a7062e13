package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Opening, sharing and closing the database. */
class DatabaseTest {

  @Test
  void embedded_createsItsFolderAndAPrivatePassword_andOpensAgainWithItsData() throws Exception {
    Path folder = TestDatabases.temporaryFolder("vapi-usage-embedded-").resolve("nested/data");
    UserId user = anyUserId();
    TokenHash token = TokenHash.of("token-" + user);
    try (Database database = Database.embedded(folder, TestDatabases.FAST)) {
      assertThat(database.productVersion()).startsWith("H2");
      database.userTokens().addToken(user, token, Instant.now());
    }
    Path password = folder.resolve("vapi-usage.password");
    assertThat(Files.readString(password).strip()).hasSize(48);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password)))
        .isEqualTo("rw-------");
    try (Database reopened = Database.embedded(folder, TestDatabases.FAST)) {
      assertThat(reopened.userTokens().findUser(token)).contains(user);
    }
  }

  @Test
  void embedded_openedTwiceAtOnce_sharesOneDatabase() {
    Path folder = TestDatabases.temporaryFolder("vapi-usage-shared-");
    UserId user = anyUserId();
    TokenHash token = TokenHash.of("token-" + user);
    try (Database server = Database.embedded(folder, TestDatabases.FAST);
        Database command = Database.embedded(folder, TestDatabases.FAST)) {
      command.userTokens().addToken(user, token, Instant.now());
      assertThat(server.userTokens().findUser(token)).contains(user);
    }
  }

  @Test
  void connect_withAUrlThatIsNotJdbc_failsNamingDatabaseUrl() {
    assertThatThrownBy(() -> Database.connect("postgres://localhost/test", null, null))
        .isInstanceOfSatisfying(
            UsageException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.getMessage()).startsWith("DATABASE_URL").doesNotContain("\n");
            });
  }

  @Test
  void connect_toAPortWhereNothingListens_failsAtOnceWithOneLine() {
    long started = System.nanoTime();
    assertThatThrownBy(
            () -> Database.connect("jdbc:postgresql://127.0.0.1:1/none", "someone", "a-password"))
        .isInstanceOfSatisfying(
            UsageException.class,
            e -> {
              assertThat(e.getMessage())
                  .startsWith("Cannot connect to the database: ")
                  .doesNotContain("\n")
                  .doesNotContain("a-password");
            });
    assertThat(System.nanoTime() - started).isLessThan(15_000_000_000L);
  }

  @Test
  void using_aHostDataSource_migratesItAndLeavesItOpen() throws Exception {
    PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(target.jdbcUrl());
    config.setUsername(target.user());
    config.setPassword(target.password());
    config.setMaximumPoolSize(2);
    try (HikariDataSource host = new HikariDataSource(config)) {
      UserId user = anyUserId();
      TokenHash token = TokenHash.of("host-" + user);
      try (Database embedded = Database.using(host, target.schema())) {
        assertThat(embedded.productVersion()).startsWith("PostgreSQL");
        embedded.userTokens().addToken(user, token, Instant.now());
        assertThat(embedded.isReachable()).isTrue();
      }
      assertThat(host.isClosed()).isFalse();
      try (Database again = Database.using(host, target.schema())) {
        assertThat(again.userTokens().findUser(token))
            .as("migrating a migrated schema changes nothing")
            .contains(user);
      }
    }
  }

  @Test
  void isReachable_whileOpen_andNotAfterClose() {
    Database database = TestDatabases.freshH2();
    assertThat(database.isReachable()).isTrue();
    database.close();
    assertThat(database.isReachable()).isFalse();
    assertThatThrownBy(() -> database.userTokens().findUser(TokenHash.of("x")))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
  }
}
