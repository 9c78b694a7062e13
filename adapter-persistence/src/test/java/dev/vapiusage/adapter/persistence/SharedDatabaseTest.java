package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The product in a database that is an application's own (contract §2, DATABASE_SCHEMA): every
 * object it creates lives in its schema, nothing in {@code public} changes, and an installation
 * made before schemas is moved into its schema.
 */
class SharedDatabaseTest {
  private static final String SECRET = "a-master-secret-of-at-least-32-characters";
  private static final Instant T0 = Instant.parse("2024-05-10T09:00:00Z");
  private static final DateRange MAY =
      new DateRange(LocalDate.of(2024, 5, 1), LocalDate.of(2024, 5, 31), ZoneOffset.UTC);
  private static final List<String> OUR_TABLES = Tables.ALL.stream().sorted().toList();

  @Test
  void givenAHostApplicationsDatabase_twoInstallations_changeNothingInPublic_andKeepToThemselves()
      throws Exception {
    try (HostDatabase host = HostDatabase.create()) {
      // The host's own migration history, in public, next to tables named like ours.
      Flyway.configure()
          .dataSource(host.url(), host.user(), host.password())
          .locations("classpath:dev/vapiusage/adapter/persistence/hostapp")
          .load()
          .migrate();
      List<String> publicBefore = host.dump("public");
      List<String> schemasBefore = host.schemas();
      assertThat(publicBefore)
          .contains("row users (1,ada@example.com)", "row api_token (host-token-1,1)");

      UserId user = UserId.of("user-1");
      TokenHash firstToken = TokenHash.of("first-installation-token");
      ApiKey firstKey = ApiKey.of("sk-first-installation-key-0001");
      try (HikariDataSource pool = host.pool(2)) {
        String searchPath = searchPaths(pool).get(0);
        try (Database first = Database.using(pool, Database.DEFAULT_SCHEMA, TestDatabases.FAST)) {
          assertThat(first.schema()).contains("vapi_usage");
          fill(first, user, firstToken, firstKey, 3);
          assertThat(searchPaths(pool))
              .as("the host's connections keep their search_path")
              .containsOnly(searchPath);
        }
        // A restart: the same installation, its data, no new migration.
        try (Database restarted =
            Database.using(pool, Database.DEFAULT_SCHEMA, TestDatabases.FAST)) {
          assertHolds(restarted, user, firstToken, firstKey, 3);
          assertThat(searchPaths(pool)).containsOnly(searchPath);
        }
      }

      TokenHash secondToken = TokenHash.of("second-installation-token");
      ApiKey secondKey = ApiKey.of("sk-second-installation-key-0002");
      try (Database second =
          Database.connect(
              host.url(), host.user(), host.password(), "vapi_second", TestDatabases.FAST)) {
        assertThat(second.userTokens().findUser(firstToken))
            .as("the first installation's token")
            .isEmpty();
        assertThat(second.integrations().find(user)).isEmpty();
        assertThat(second.usage().aggregate(user, MAY).totals().calls()).isZero();
        fill(second, user, secondToken, secondKey, 5);
        assertHolds(second, user, secondToken, secondKey, 5);
      }
      try (Database first =
          Database.connect(
              host.url(),
              host.user(),
              host.password(),
              Database.DEFAULT_SCHEMA,
              TestDatabases.FAST)) {
        assertHolds(first, user, firstToken, firstKey, 3);
        assertThat(first.userTokens().findUser(secondToken)).isEmpty();
      }

      assertThat(host.dump("public"))
          .as("everything in public, rows included")
          .isEqualTo(publicBefore);
      List<String> schemasAfter = new ArrayList<>(schemasBefore);
      schemasAfter.addAll(List.of("vapi_second", "vapi_usage"));
      assertThat(host.schemas()).containsExactlyInAnyOrderElementsOf(schemasAfter);
      List<String> expected = new ArrayList<>(OUR_TABLES);
      expected.add("flyway_schema_history");
      assertThat(host.tables("vapi_usage")).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(host.tables("vapi_second")).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(
              host.column(
                  "SELECT script FROM vapi_usage.flyway_schema_history WHERE type = 'SQL' ORDER BY installed_rank"))
          .containsExactly(
              "V1__schema.sql",
              "V2__data_version.sql",
              "V3__lease_holder.sql",
              "V4__calls_detail.sql",
              "V5__push.sql");
      assertThat(
              host.column(
                  "SELECT sequencename FROM pg_catalog.pg_sequences WHERE schemaname = 'vapi_usage' ORDER BY 1"))
          .containsExactly("sync_run_seq_seq", "vapi_integration_id_seq");
    }
  }

  @Test
  void givenAnInstallationInPublic_theFirstStart_movesItIntoTheSchemaWithItsData()
      throws Exception {
    try (HostDatabase db = HostDatabase.create()) {
      // The layout the release before DATABASE_SCHEMA made: its migrations run in public...
      Flyway.configure()
          .dataSource(db.url(), db.user(), db.password())
          .locations(Dialect.POSTGRESQL.migrations())
          .failOnMissingLocations(true)
          .load()
          .migrate();
      UserId user = UserId.of("old-user");
      TokenHash token = TokenHash.of("old-token");
      ApiKey key = ApiKey.of("sk-stored-before-the-move-0003");
      // ...and its data, stored there (DATABASE_SCHEMA=public addresses exactly those tables).
      try (Database old =
          Database.connect(db.url(), db.user(), db.password(), "public", TestDatabases.FAST)) {
        fill(old, user, token, key, 4);
      }
      long version;
      try (Database old =
          Database.connect(db.url(), db.user(), db.password(), "public", TestDatabases.FAST)) {
        version = old.versions().current(user);
      }
      List<String> rowsBefore = ourRows(db, "public");
      assertThat(db.tables("public")).contains("flyway_schema_history").containsAll(OUR_TABLES);

      try (Database moved =
          Database.connect(
              db.url(), db.user(), db.password(), Database.DEFAULT_SCHEMA, TestDatabases.FAST)) {
        assertThat(ourRows(db, "vapi_usage"))
            .as("every stored row, moved as it was")
            .isEqualTo(rowsBefore);
        assertHolds(moved, user, token, key, 4);
        assertThat(moved.versions().current(user)).isEqualTo(version);
        // The identity sequences moved with their tables and continue where they were.
        SyncRun run =
            moved
                .syncLease()
                .tryStart(
                    user, SyncKind.RANGE, window(), T0.plusSeconds(600), Duration.ofMinutes(1))
                .orElseThrow();
        moved.syncLease().finish(run, SyncOutcome.completed(0, 0), T0.plusSeconds(601));
        assertThat(moved.syncRuns().history(user, 10)).hasSize(2);
      }
      assertThat(db.tables("public")).as("nothing of ours is left in public").isEmpty();
      List<String> expected = new ArrayList<>(OUR_TABLES);
      expected.add("flyway_schema_history");
      assertThat(db.tables("vapi_usage")).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(
              db.column(
                  "SELECT script FROM vapi_usage.flyway_schema_history ORDER BY installed_rank"))
          .containsExactly(
              "V1__schema.sql",
              "V2__data_version.sql",
              "V3__lease_holder.sql",
              "V4__calls_detail.sql",
              "V5__push.sql");
      assertThat(
              db.column(
                  "SELECT sequencename FROM pg_catalog.pg_sequences WHERE schemaname = 'vapi_usage' ORDER BY 1"))
          .containsExactly("sync_run_seq_seq", "vapi_integration_id_seq");

      // A second start finds the history in the schema and moves nothing.
      try (Database again =
          Database.connect(
              db.url(), db.user(), db.password(), Database.DEFAULT_SCHEMA, TestDatabases.FAST)) {
        assertHolds(again, user, token, key, 4);
      }
    }
  }

  @Test
  void givenOurTablesInPublicWithAHistoryThatIsNotOnlyOurs_publicIsLeftAlone() throws Exception {
    try (HostDatabase db = HostDatabase.create()) {
      Flyway.configure()
          .dataSource(db.url(), db.user(), db.password())
          .locations(Dialect.POSTGRESQL.migrations())
          .load()
          .migrate();
      // A host application's migration recorded in the same history.
      db.execute(
          "INSERT INTO public.flyway_schema_history (installed_rank, version, description, type, script, checksum,"
              + " installed_by, execution_time, success) VALUES (100, '100', 'host', 'SQL', 'V100__host.sql', 42, 'host', 1, true)");
      List<String> publicBefore = db.dump("public");

      try (Database database =
          Database.connect(
              db.url(), db.user(), db.password(), Database.DEFAULT_SCHEMA, TestDatabases.FAST)) {
        fill(
            database,
            UserId.of("new-user"),
            TokenHash.of("new-token"),
            ApiKey.of("sk-new-installation-key-0004"),
            1);
      }
      assertThat(db.dump("public")).isEqualTo(publicBefore);
      assertThat(db.column("SELECT COUNT(*) FROM vapi_usage.usage_call")).containsExactly("1");
    }
  }

  @Test
  void aSchemaNameThatIsNotAPlainIdentifier_isRefusedNamingDatabaseSchema() {
    for (String bad :
        List.of(
            "",
            "Vapi",
            "vapi-usage",
            "1vapi",
            "vapi usage",
            "x\"; DROP TABLE users; --",
            "pg_vapi",
            "a".repeat(64))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Database.checkSchemaName(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("DATABASE_SCHEMA");
    }
    assertThat(Database.checkSchemaName("a".repeat(63))).hasSize(63);
    assertThat(Database.checkSchemaName("_vapi_usage_2")).isEqualTo("_vapi_usage_2");
  }

  /** Stores one of everything: a master key and a sealed Vapi key, a token, calls, a sync run. */
  private static void fill(Database database, UserId user, TokenHash token, ApiKey key, int calls) {
    KeyVault vault = database.keyVault(SECRET);
    database
        .integrations()
        .save(Integration.connect(Optional.empty(), user, vault.seal(user, key), key.hint(), T0));
    database.userTokens().addToken(user, token, T0);
    List<dev.vapiusage.domain.CallRecord> records = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      records.add(endedCall("call-" + i, T0.plusSeconds(60L * i), 30, "0.25"));
    }
    assertThat(database.usage().store(user, records).changed()).isEqualTo(calls);
    SyncRun run =
        database
            .syncLease()
            .tryStart(user, SyncKind.RANGE, window(), T0, Duration.ofMinutes(1))
            .orElseThrow();
    database.syncCursors().advanceCursor(user, T0);
    database.syncLease().finish(run, SyncOutcome.completed(calls, calls), T0.plusSeconds(1));
  }

  private static void assertHolds(
      Database database, UserId user, TokenHash token, ApiKey key, int calls) {
    assertThat(database.userTokens().findUser(token)).contains(user);
    KeyVault vault = database.keyVault(SECRET);
    assertThat(
            vault.open(
                user, database.integrations().find(user).orElseThrow().sealedKey().orElseThrow()))
        .isEqualTo(key);
    UsageMetrics metrics = database.usage().aggregate(user, MAY);
    assertThat(metrics.totals().calls()).isEqualTo(calls);
    assertThat(metrics.totals().cost())
        .isEqualByComparingTo(new BigDecimal("0.25").multiply(BigDecimal.valueOf(calls)));
    assertThat(database.syncCursors().cursor(user)).contains(T0);
    assertThat(database.syncRuns().history(user, 10)).isNotEmpty();
    assertThat(database.versions().current(user)).isPositive();
    assertThat(database.integrations().connectedUsers()).contains(user);
  }

  private static CallWindow window() {
    return CallWindow.created(T0.minusSeconds(3600), T0);
  }

  /** The search_path of every connection the pool holds (it holds at most two). */
  private static List<String> searchPaths(HikariDataSource pool) throws Exception {
    List<String> paths = new ArrayList<>();
    try (Connection a = pool.getConnection();
        Connection b = pool.getConnection()) {
      for (Connection connection : List.of(a, b)) {
        try (Statement statement = connection.createStatement();
            ResultSet rs = statement.executeQuery("SHOW search_path")) {
          rs.next();
          paths.add(rs.getString(1));
        }
      }
    }
    return paths;
  }

  private static List<String> ourRows(HostDatabase db, String schema) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String table : OUR_TABLES) {
      for (String row :
          db.column("SELECT CAST(t AS text) FROM \"" + schema + "\"." + table + " t ORDER BY 1")) {
        rows.add(table + " " + row);
      }
    }
    return rows;
  }
}
