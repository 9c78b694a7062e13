package dev.vapiusage.adapter.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an installation made before {@code DATABASE_SCHEMA} existed into its schema. Those releases
 * ran their migrations in the connection's current schema (normally {@code public}), so their
 * tables and their {@code flyway_schema_history} are there. On PostgreSQL, before migrating, when
 * the target schema has no migration history yet and the current schema's history holds exactly
 * this product's migrations (same versions, script names and checksums, all successful), every
 * table of ours in it and the history table move into the target schema in one transaction: {@code
 * ALTER TABLE … SET SCHEMA} keeps every row, index, constraint and the identity sequences owned by
 * their columns. A history holding anything else belongs to a host application (or to both), and
 * then nothing there is touched.
 */
final class SchemaMove {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMove.class);
  private static final String HISTORY = "flyway_schema_history";

  /** Advisory lock key, so that processes starting at once move the tables once ("VAPM"). */
  private static final long MOVE_LOCK = 0x5641504DL;

  private SchemaMove() {}

  /**
   * Moves our tables from the connection's current schema into {@code tables.schema()} when they
   * are there and the target has no history; returns how many tables moved (0: nothing to do).
   * {@code flyway} is configured for the target schema; it tells which migrations are ours.
   */
  static int moveIfOurs(DataSource dataSource, Tables tables, Flyway flyway) throws SQLException {
    String target = Objects.requireNonNull(tables.schema(), "schema");
    String from;
    try (Connection connection = dataSource.getConnection()) {
      from = currentSchema(connection);
      if (from == null
          || from.equals(target)
          || !exists(connection, from, HISTORY)
          || exists(connection, target, HISTORY)) {
        return 0;
      }
    }
    // Asked with no connection held: a host's pool may have only one to give.
    Map<String, MigrationInfo> ours = ourMigrations(flyway);
    try (Connection connection = dataSource.getConnection()) {
      if (!historyIsOurs(connection, from, ours)) {
        LOG.info(
            "Schema {} holds a migration history that is not only vapi-usage's: leaving it alone, vapi-usage's tables go in schema {}",
            from,
            target);
        return 0;
      }
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        int moved = move(connection, from, target);
        connection.commit();
        if (moved > 0) {
          LOG.info(
              "Moved vapi-usage's {} tables and migration history from schema {} to schema {}",
              moved,
              from,
              target);
        }
        return moved;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        // The connection may be a host application's: it goes back as it came.
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  /** Our migrations by version, as this release resolves them (script name and checksum). */
  private static Map<String, MigrationInfo> ourMigrations(Flyway flyway) {
    Map<String, MigrationInfo> ours = new HashMap<>();
    for (MigrationInfo info : flyway.info().all()) {
      if (info.getVersion() != null && info.getScript() != null) {
        ours.put(info.getVersion().getVersion(), info);
      }
    }
    return ours;
  }

  private static int move(Connection connection, String from, String target) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + MOVE_LOCK + ")");
    }
    // Another process may have moved them while this one waited for the lock.
    if (!exists(connection, from, HISTORY) || exists(connection, target, HISTORY)) {
      return 0;
    }
    List<String> ours = new ArrayList<>();
    for (String table : Tables.ALL) {
      if (exists(connection, from, table)) {
        ours.add(table);
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(target));
      for (String table : ours) {
        statement.execute(
            "ALTER TABLE " + quote(from) + "." + table + " SET SCHEMA " + quote(target));
      }
      statement.execute(
          "ALTER TABLE " + quote(from) + "." + HISTORY + " SET SCHEMA " + quote(target));
    }
    return ours.size();
  }

  /**
   * Whether every row of the history is one of our migrations, applied successfully, each once: a
   * host application's own history (even one with a {@code V1__schema.sql}) differs in checksum.
   */
  private static boolean historyIsOurs(
      Connection connection, String schema, Map<String, MigrationInfo> ours) throws SQLException {
    int rows = 0;
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT version, script, checksum, type, success FROM "
                    + quote(schema)
                    + "."
                    + HISTORY
                    + " ORDER BY installed_rank")) {
      Map<String, Boolean> seen = new HashMap<>();
      while (rs.next()) {
        rows++;
        String version = rs.getString("version");
        MigrationInfo mine = version == null ? null : ours.get(version);
        int checksum = rs.getInt("checksum");
        boolean match =
            mine != null
                && !rs.wasNull()
                && "SQL".equals(rs.getString("type"))
                && rs.getBoolean("success")
                && mine.getScript().equals(rs.getString("script"))
                && mine.getChecksum() != null
                && mine.getChecksum() == checksum
                && seen.put(version, true) == null;
        if (!match) {
          return false;
        }
      }
    }
    return rows > 0;
  }

  private static String currentSchema(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static boolean exists(Connection connection, String schema, String table)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?")) {
      statement.setString(1, schema);
      statement.setString(2, table);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
