package dev.vapiusage.adapter.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.argument.Argument;

/**
 * Instants as both databases keep them: to the microsecond, in UTC. Truncating (never rounding)
 * keeps a call on the date Java sees it on, because day boundaries are whole seconds.
 */
final class Instants {
  private Instants() {}

  static OffsetDateTime toDb(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  /** ISO-8601 text both PostgreSQL's timestamptz input and arrays of it accept. */
  static String toText(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).toString();
  }

  /** A JDBI argument binding a timestamptz, typed even when null so both drivers accept it. */
  static Argument arg(Instant instant) {
    OffsetDateTime value = toDb(instant);
    return (position, statement, context) -> {
      if (value == null) {
        statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        statement.setObject(position, value);
      }
    };
  }

  static Instant read(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static Instant read(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
