package dev.vapiusage.adapter.persistence;

import dev.vapiusage.adapter.persistence.TestPostgres.Server;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A PostgreSQL for tests, shared by this module's tests and (through its test-jar) by the bootstrap
 * module's. {@link TestPostgres} chooses the server (TEST_DATABASE_URL, Testcontainers or an
 * embedded PostgreSQL); without one, tests fail when {@code CI=true} and are skipped otherwise.
 * Every {@link #freshSchema()} is a new schema with a random name, so concurrent test runs on one
 * server never meet; the schemas are dropped when the JVM exits. Thread-safe.
 */
public final class PostgresTestDatabase {
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();
  private static volatile Server server;

  private PostgresTestDatabase() {}

  /** Where a test schema is: a JDBC URL that selects it, and the credentials. */
  public record Target(String jdbcUrl, String user, String password, String schema) {
    @Override
    public String toString() {
      return "Target[" + schema + "]";
    }
  }

  /**
   * Creates a new empty schema and returns how to reach it (its URL sets {@code currentSchema}).
   * Aborts the calling test (JUnit assumption) when no PostgreSQL is available outside CI.
   */
  public static Target freshSchema() {
    Server db = server();
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    String schema = "test_" + HexFormat.of().formatHex(random);
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create test schema " + schema + ": " + e.getMessage(), e);
    }
    CREATED.add(schema);
    String separator = db.url().contains("?") ? "&" : "?";
    return new Target(
        db.url() + separator + "currentSchema=" + schema, db.user(), db.password(), schema);
  }

  /**
   * A migrated {@link Database} whose DATABASE_SCHEMA is a fresh schema, with the production
   * settings.
   */
  public static Database openFresh() {
    Target target = freshSchema();
    return Database.connect(target.jdbcUrl(), target.user(), target.password(), target.schema());
  }

  static Database openFresh(Database.Settings settings) {
    Target target = freshSchema();
    return Database.connect(
        target.jdbcUrl(), target.user(), target.password(), target.schema(), settings);
  }

  private static Server server() {
    Server known = server;
    if (known != null) {
      return known;
    }
    synchronized (PostgresTestDatabase.class) {
      if (server == null) {
        server = locate();
        Runtime.getRuntime()
            .addShutdownHook(new Thread(PostgresTestDatabase::dropSchemas, "drop-test-schemas"));
      }
      return server;
    }
  }

  private static Server locate() {
    return TestPostgres.server();
  }

  private static void dropSchemas() {
    Server db = server;
    if (db == null || CREATED.isEmpty()) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement statement = connection.createStatement()) {
      statement.execute("SET lock_timeout = '5s'");
      for (String schema : CREATED) {
        try {
          statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
          // Best effort: a schema still in use by a lingering connection stays behind.
        }
      }
    } catch (SQLException e) {
      // The server went away first; nothing to clean.
    }
  }
}
