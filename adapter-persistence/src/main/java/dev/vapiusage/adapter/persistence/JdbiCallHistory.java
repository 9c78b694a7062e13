package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallField;
import dev.vapiusage.domain.calls.CallFilter;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.port.CallHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGStatement;

/**
 * Reads stored calls from {@code usage_call} in the list order, on both databases. A page is one
 * range of the index {@code usage_call_list} after the position (keyset paging), so a deep page
 * costs what the first does; {@link #forEach} reads through a cursor in a read-only transaction, so
 * memory does not grow with the number of calls. On PostgreSQL ids compare bytewise ({@code COLLATE
 * "C"}, as the index has them), the order of Java's {@code String.compareTo} for the ids Vapi
 * issues. Thread-safe.
 */
final class JdbiCallHistory implements CallHistory {
  private static final int FETCH_SIZE = 1000;

  /**
   * Rows per round trip of an export's cursor: fewer trips, while the driver holds a megabyte or
   * two of rows at a time.
   */
  private static final int EXPORT_FETCH_SIZE = 5000;

  /**
   * What a call read back is made of, in the order {@link #readCall} reads it: the columns of
   * {@link StoredCall} without those only a write compares (duration, items' digest).
   */
  private static final String CALL_COLUMNS =
      "call_id, org_id, created_at, updated_at, started_at, ended_at, call_type, status,"
          + " ended_reason, assistant_id, cost, cost_transport, cost_stt, cost_llm, cost_tts,"
          + " cost_vapi, cost_analysis";

  private static final String COUNT_STUCK =
      "SELECT COUNT(*) FROM {schema}.usage_call WHERE user_id = ? AND status IN ('queued', 'in-progress')"
          + " AND created_at >= ? AND created_at < ? AND created_at < ?";
  private static final String FIND =
      "SELECT "
          + StoredCall.COLUMNS
          + " FROM {schema}.usage_call WHERE user_id = ? AND call_id = ?";

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Tables tables;
  private final String idOrder;
  private final String afterPosition;

  JdbiCallHistory(Jdbi jdbi, Dialect dialect, Tables tables) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.tables = Objects.requireNonNull(tables, "tables");
    if (dialect == Dialect.POSTGRESQL) {
      idOrder = "call_id COLLATE \"C\"";
      // A row comparison is one index condition: the scan starts right at the position.
      afterPosition = " AND (created_at, call_id COLLATE \"C\") < (?, ?)";
    } else {
      idOrder = "call_id";
      afterPosition = " AND (created_at < ? OR (created_at = ? AND call_id < ?))";
    }
  }

  @Override
  public List<CallRecord> page(
      UserId userId, CallQuery query, Optional<CallPosition> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit is at least 1");
    }
    return Failures.translate(
        "list calls",
        () ->
            jdbi.withHandle(
                handle -> {
                  Connection connection = handle.getConnection();
                  try (PreparedStatement statement =
                      prepare(
                          connection,
                          StoredCall.COLUMNS,
                          userId,
                          query,
                          after,
                          " LIMIT " + limit)) {
                    List<CallRecord> calls = new ArrayList<>(Math.min(limit, FETCH_SIZE));
                    try (ResultSet rs = statement.executeQuery()) {
                      while (rs.next()) {
                        calls.add(StoredCall.read(rs).toDomain(List.of()));
                      }
                    }
                    return calls;
                  }
                }));
  }

  @Override
  public Optional<CallRecord> find(UserId userId, String callId) {
    Objects.requireNonNull(callId, "callId");
    return Failures.translate(
        "read a call",
        () ->
            jdbi.inTransaction(
                handle -> {
                  Connection connection = handle.getConnection();
                  StoredCall stored;
                  try (PreparedStatement statement =
                      connection.prepareStatement(tables.sql(FIND))) {
                    statement.setString(1, userId.value());
                    statement.setString(2, callId);
                    try (ResultSet rs = statement.executeQuery()) {
                      if (!rs.next()) {
                        return Optional.<CallRecord>empty();
                      }
                      stored = StoredCall.read(rs);
                    }
                  }
                  return Optional.of(
                      stored.toDomain(CostItemRows.read(connection, tables, userId, callId)));
                }));
  }

  @Override
  public void forEach(UserId userId, CallQuery query, Consumer<CallRecord> each) {
    Objects.requireNonNull(each, "each");
    // PostgreSQL fetches in portions only inside a transaction (otherwise it sends every row).
    Failures.run(
        "read calls",
        () ->
            jdbi.useTransaction(
                handle -> {
                  Connection connection = handle.getConnection();
                  try (PreparedStatement statement =
                      prepare(connection, CALL_COLUMNS, userId, query, Optional.empty(), "")) {
                    statement.setFetchSize(EXPORT_FETCH_SIZE);
                    if (dialect == Dialect.POSTGRESQL) {
                      // Binary rows even for a statement run once: timestamps and amounts then
                      // cross as numbers, which costs both sides far less than their text.
                      statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
                    }
                    try (ResultSet rs = statement.executeQuery()) {
                      while (rs.next()) {
                        each.accept(readCall(rs));
                      }
                    }
                  }
                }));
  }

  @Override
  public long countStuck(UserId userId, DateRange range, Instant createdBefore) {
    return Failures.translate(
        "count stuck calls",
        () ->
            jdbi.withHandle(
                handle -> {
                  try (PreparedStatement statement =
                      handle.getConnection().prepareStatement(tables.sql(COUNT_STUCK))) {
                    statement.setString(1, userId.value());
                    statement.setObject(2, Instants.toDb(range.startInstant()));
                    statement.setObject(3, Instants.toDb(range.endExclusive()));
                    statement.setObject(4, Instants.toDb(createdBefore));
                    try (ResultSet rs = statement.executeQuery()) {
                      rs.next();
                      return rs.getLong(1);
                    }
                  }
                }));
  }

  /** A row of {@link #CALL_COLUMNS}, read by position. */
  private static CallRecord readCall(ResultSet rs) throws SQLException {
    return new CallRecord(
        rs.getString(1),
        rs.getString(2),
        Instants.read(rs, 3),
        Instants.read(rs, 4),
        Instants.read(rs, 5),
        Instants.read(rs, 6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        rs.getBigDecimal(11),
        new CostComponents(
            rs.getBigDecimal(12),
            rs.getBigDecimal(13),
            rs.getBigDecimal(14),
            rs.getBigDecimal(15),
            rs.getBigDecimal(16),
            rs.getBigDecimal(17)));
  }

  private PreparedStatement prepare(
      Connection connection,
      String columns,
      UserId userId,
      CallQuery query,
      Optional<CallPosition> after,
      String limit)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(
                " FROM {schema}.usage_call WHERE user_id = ? AND created_at >= ? AND created_at < ?");
    for (CallFilter filter : query.filters()) {
      sql.append(" AND ").append(column(filter.field()));
      sql.append(filter.value() == null ? " IS NULL" : " = ?");
    }
    after.ifPresent(position -> sql.append(afterPosition));
    sql.append(" ORDER BY created_at DESC, ").append(idOrder).append(" DESC").append(limit);
    PreparedStatement statement = connection.prepareStatement(tables.sql(sql.toString()));
    try {
      int p = 1;
      statement.setString(p++, userId.value());
      statement.setObject(p++, Instants.toDb(query.range().startInstant()));
      statement.setObject(p++, Instants.toDb(query.range().endExclusive()));
      for (CallFilter filter : query.filters()) {
        if (filter.value() != null) {
          statement.setString(p++, filter.value());
        }
      }
      if (after.isPresent()) {
        CallPosition position = after.get();
        statement.setObject(p++, Instants.toDb(position.createdAt()));
        if (idOrder.equals("call_id")) {
          statement.setObject(p++, Instants.toDb(position.createdAt()));
        }
        statement.setString(p, position.id());
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  // A fixed column per field: no text of the query reaches the statement.
  private static String column(CallField field) {
    return switch (field) {
      case ASSISTANT_ID -> "assistant_id";
      case TYPE -> "call_type";
      case ENDED_REASON -> "ended_reason";
      case STATUS -> "status";
    };
  }
}
