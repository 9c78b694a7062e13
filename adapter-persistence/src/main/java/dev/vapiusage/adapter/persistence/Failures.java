package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/**
 * Translates database failures at the port: callers see a {@link UsageException} with code {@code
 * INTERNAL_ERROR}, never a driver exception. Messages name the action, never a value.
 */
final class Failures {
  private Failures() {}

  /** Work against the database that may throw the driver's checked exception. */
  @FunctionalInterface
  interface SqlWork<T> {
    T get() throws SQLException;
  }

  static UsageException storage(String action, Throwable cause) {
    return new UsageException(ErrorCode.INTERNAL_ERROR, "The database failed to " + action, cause);
  }

  static <T> T translate(String action, SqlWork<T> work) {
    try {
      return work.get();
    } catch (UsageException e) {
      throw e;
    } catch (SQLException | JdbiException | IllegalStateException e) {
      // IllegalStateException: Hikari reports a closed pool this way.
      throw storage(action, e);
    }
  }

  /**
   * Work against the database that returns nothing and may throw the driver's checked exception.
   */
  @FunctionalInterface
  interface SqlAction {
    void run() throws SQLException;
  }

  static void run(String action, SqlAction work) {
    translate(
        action,
        () -> {
          work.run();
          return null;
        });
  }

  /** The SQLSTATE of the first SQLException in a cause chain, or null. */
  static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        return ((SQLException) t).getSQLState();
      }
    }
    return null;
  }
}
