package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The transaction-scoped advisory lock that serialises one user's stores and rollup rebuilds on
 * PostgreSQL, so the rollups and the dirty marks always commit in step with the calls.
 */
final class UserLock {
  /** First key of the advisory lock that serialises one user's stores and rebuilds ("VAPU"). */
  static final int LOCK_NAMESPACE = 0x56415055;

  private static final String LOCK_USER = "SELECT pg_advisory_xact_lock(?, ?)";

  private UserLock() {}

  /** Takes the user's lock until the connection's transaction ends. */
  static void lock(Connection connection, UserId userId) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK_USER)) {
      lock.setInt(1, LOCK_NAMESPACE);
      lock.setInt(2, key(userId));
      lock.execute();
    }
  }

  /** The lock's second key for the user. */
  static int key(UserId userId) {
    return userId.value().hashCode();
  }
}
