package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.port.AssistantNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Assistant rosters in tables {@code assistant_roster} (when it was read) and {@code
 * assistant_name} (one row per named or known id). Replacing a roster whose names or known ids
 * differ raises the user's data version in the same transaction; a new read time alone does not, so
 * the hourly re-read of unchanged names keeps every kept view. Thread-safe.
 */
final class JdbiAssistantNames implements AssistantNames {
  private static final String READ_HEADER =
      "SELECT read_at FROM {schema}.assistant_roster WHERE user_id = ?";
  private static final String READ_NAMES =
      "SELECT assistant_id, name, known FROM {schema}.assistant_name WHERE user_id = ?";
  // Writing the header first takes its row lock, so two replacements of one user run one by one.
  private static final String UPSERT_HEADER_POSTGRESQL =
      "INSERT INTO {schema}.assistant_roster (user_id, read_at) VALUES (?, ?)"
          + " ON CONFLICT (user_id) DO UPDATE SET read_at = EXCLUDED.read_at";
  private static final String UPSERT_HEADER_H2 =
      "MERGE INTO {schema}.assistant_roster (user_id, read_at) KEY (user_id) VALUES (?, ?)";
  private static final String DELETE_NAMES =
      "DELETE FROM {schema}.assistant_name WHERE user_id = ?";
  private static final String DELETE_HEADER =
      "DELETE FROM {schema}.assistant_roster WHERE user_id = ?";
  private static final String INSERT_NAME =
      "INSERT INTO {schema}.assistant_name (user_id, assistant_id, name, known) VALUES (?, ?, ?, ?)";

  private final Jdbi jdbi;
  private final Tables tables;
  private final JdbcDataVersions versions;
  private final String upsertHeader;
  private final boolean postgresql;

  JdbiAssistantNames(Jdbi jdbi, Dialect dialect, Tables tables, JdbcDataVersions versions) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.versions = Objects.requireNonNull(versions, "versions");
    this.postgresql = dialect == Dialect.POSTGRESQL;
    this.upsertHeader = postgresql ? UPSERT_HEADER_POSTGRESQL : UPSERT_HEADER_H2;
  }

  @Override
  public AssistantRoster roster(UserId userId) {
    return Failures.translate(
        "read assistant names",
        () ->
            jdbi.inTransaction(
                handle -> {
                  Connection connection = handle.getConnection();
                  Optional<Header> header = header(connection, userId);
                  if (header.isEmpty()) {
                    return AssistantRoster.NEVER_READ;
                  }
                  AssistantRoster stored = readNames(connection, userId);
                  return new AssistantRoster(stored.names(), stored.known(), header.get().readAt());
                }));
  }

  @Override
  public void replace(UserId userId, AssistantRoster roster) {
    Objects.requireNonNull(roster, "roster");
    Failures.run(
        "store assistant names",
        () ->
            jdbi.useTransaction(
                handle -> {
                  Connection connection = handle.getConnection();
                  try (PreparedStatement statement =
                      connection.prepareStatement(tables.sql(upsertHeader))) {
                    statement.setString(1, userId.value());
                    statement.setObject(2, Instants.toDb(roster.readAt()));
                    statement.executeUpdate();
                  }
                  AssistantRoster stored = readNames(connection, userId);
                  if (stored.names().equals(roster.names())
                      && stored.known().equals(roster.known())) {
                    return;
                  }
                  execute(connection, DELETE_NAMES, userId);
                  insertNames(connection, userId, roster);
                  versions.raise(connection, userId);
                }));
  }

  @Override
  public void delete(UserId userId) {
    Failures.run(
        "delete assistant names",
        () ->
            jdbi.useTransaction(
                handle -> {
                  Connection connection = handle.getConnection();
                  int names = execute(connection, DELETE_NAMES, userId);
                  execute(connection, DELETE_HEADER, userId);
                  if (names > 0) {
                    versions.raise(connection, userId);
                  }
                }));
  }

  /** A stored roster's header row; {@code readAt} may be null. */
  private record Header(Instant readAt) {}

  private Optional<Header> header(Connection connection, UserId userId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(READ_HEADER))) {
      statement.setString(1, userId.value());
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(new Header(Instants.read(rs, "read_at"))) : Optional.empty();
      }
    }
  }

  private AssistantRoster readNames(Connection connection, UserId userId) throws SQLException {
    Map<String, String> names = new HashMap<>();
    Set<String> known = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(READ_NAMES))) {
      statement.setString(1, userId.value());
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString("assistant_id");
          String name = rs.getString("name");
          if (name != null) {
            names.put(id, name);
          }
          if (rs.getBoolean("known")) {
            known.add(id);
          }
        }
      }
    }
    return new AssistantRoster(names, known, null);
  }

  private void insertNames(Connection connection, UserId userId, AssistantRoster roster)
      throws SQLException {
    Set<String> ids = new TreeSet<>(roster.known());
    ids.addAll(roster.names().keySet());
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(INSERT_NAME))) {
      for (String id : ids) {
        statement.setString(1, userId.value());
        statement.setString(2, id);
        statement.setString(3, roster.names().get(id));
        statement.setBoolean(4, roster.known().contains(id));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  private int execute(Connection connection, String sql, UserId userId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(sql))) {
      statement.setString(1, userId.value());
      return statement.executeUpdate();
    }
  }
}
