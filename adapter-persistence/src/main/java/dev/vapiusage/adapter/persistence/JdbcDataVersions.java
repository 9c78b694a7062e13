package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.DataVersions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Data versions in table {@code data_version}. The repositories raise a user's version inside the
 * transaction that changes the user's integration or calls, so a version read shows a change
 * exactly when the change is visible. Thread-safe.
 */
final class JdbcDataVersions implements DataVersions {
  private static final String READ = "SELECT version FROM {schema}.data_version WHERE user_id = ?";
  private static final String RAISE_POSTGRESQL =
      "INSERT INTO {schema}.data_version (user_id, version) VALUES (?, 1)"
          + " ON CONFLICT (user_id) DO UPDATE SET version = data_version.version + 1";
  private static final String RAISE_H2 =
      "MERGE INTO {schema}.data_version v USING (VALUES (CAST(? AS VARCHAR(128)))) s(user_id) ON v.user_id = s.user_id"
          + " WHEN MATCHED THEN UPDATE SET version = v.version + 1"
          + " WHEN NOT MATCHED THEN INSERT (user_id, version) VALUES (s.user_id, 1)";

  private static final String RAISE_EXISTING =
      "UPDATE {schema}.data_version SET version = version + 1 WHERE user_id = ?";
  private static final String DUPLICATE_KEY = "23505";

  private final DataSource dataSource;
  private final boolean postgresql;
  private final String read;
  private final String raise;
  private final String raiseExisting;

  JdbcDataVersions(DataSource dataSource, Dialect dialect, Tables tables) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.postgresql = dialect == Dialect.POSTGRESQL;
    this.read = tables.sql(READ);
    this.raise = tables.sql(postgresql ? RAISE_POSTGRESQL : RAISE_H2);
    this.raiseExisting = tables.sql(RAISE_EXISTING);
  }

  // Read on every dashboard view: plain JDBC, without a Jdbi handle's set-up per call.
  @Override
  public long current(UserId userId) {
    return Failures.translate(
        "read a data version",
        () -> {
          try (Connection connection = dataSource.getConnection();
              PreparedStatement statement = connection.prepareStatement(read)) {
            statement.setString(1, userId.value());
            try (ResultSet rs = statement.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  /** Raises the user's version; call it in the transaction that makes the change. */
  void raise(Connection connection, UserId userId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(raise)) {
      statement.setString(1, userId.value());
      statement.executeUpdate();
    } catch (SQLException e) {
      // H2's MERGE is not atomic: two first raises of one user may both insert. The loser's
      // statement fails alone (H2 keeps the transaction), and the row is there to raise now.
      if (!DUPLICATE_KEY.equals(e.getSQLState()) || postgresql) {
        throw e;
      }
      try (PreparedStatement statement = connection.prepareStatement(raiseExisting)) {
        statement.setString(1, userId.value());
        statement.executeUpdate();
      }
    }
  }
}
