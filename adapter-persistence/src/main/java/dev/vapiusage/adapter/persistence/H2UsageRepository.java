package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.UsageRepository;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Calls on the embedded H2 database: a batch is one JDBC batch of {@code MERGE} statements in one
 * transaction, whose update counts are the changed calls (an unchanged call matches no branch); the
 * items of the changed calls are then replaced. Aggregation sums the calls directly in one
 * statement. A pushed call or status is one transaction that locks the stored row (or inserts it,
 * trying again when a racing writer inserted it first) before it weighs the push against it.
 * Thread-safe.
 */
final class H2UsageRepository implements UsageRepository {
  private static final List<String> TYPES =
      List.of(
          "VARCHAR",
          "VARCHAR",
          "TIMESTAMP WITH TIME ZONE",
          "TIMESTAMP WITH TIME ZONE",
          "TIMESTAMP WITH TIME ZONE",
          "TIMESTAMP WITH TIME ZONE",
          "BIGINT",
          "VARCHAR",
          "VARCHAR",
          "VARCHAR",
          "VARCHAR",
          "DECFLOAT",
          "DECFLOAT",
          "DECFLOAT",
          "DECFLOAT",
          "DECFLOAT",
          "DECFLOAT",
          "DECFLOAT",
          "VARCHAR(32)");

  private static final String MERGE =
      "MERGE INTO {schema}.usage_call c USING (VALUES (CAST(? AS VARCHAR(128)), "
          + TYPES.stream().map(t -> "CAST(? AS " + t + ")").collect(Collectors.joining(", "))
          + ")) s(user_id, "
          + String.join(", ", StoredCalls.COLUMNS)
          + ")"
          + " ON c.user_id = s.user_id AND c.call_id = s.call_id"
          + " WHEN MATCHED AND ("
          + StoredCalls.VALUE_COLUMNS.stream()
              .map(col -> "c." + col + " IS DISTINCT FROM s." + col)
              .collect(Collectors.joining(" OR "))
          + ") THEN UPDATE SET "
          + StoredCalls.VALUE_COLUMNS.stream()
              .map(col -> col + " = s." + col)
              .collect(Collectors.joining(", "))
          // A replaced call's status is the new version's, not a status message's any more.
          + ", status_at = NULL"
          + " WHEN NOT MATCHED THEN INSERT (user_id, "
          + String.join(", ", StoredCalls.COLUMNS)
          + ") VALUES (s.user_id, "
          + StoredCalls.COLUMNS.stream().map(col -> "s." + col).collect(Collectors.joining(", "))
          + ")";

  private static final String LOCK_STORED =
      "SELECT updated_at, status, status_at FROM {schema}.usage_call"
          + " WHERE user_id = ? AND call_id = ? FOR UPDATE";
  private static final String SET_STATUS =
      "UPDATE {schema}.usage_call SET status = ?, status_at = ? WHERE user_id = ? AND call_id = ?";
  private static final String DUPLICATE_KEY = "23505";
  private static final int ATTEMPTS = 5;

  private final Jdbi jdbi;
  private final JdbcDataVersions versions;
  private final Tables tables;
  private final String merge;

  H2UsageRepository(Jdbi jdbi, JdbcDataVersions versions, Tables tables) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.versions = Objects.requireNonNull(versions, "versions");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.merge = tables.sql(MERGE);
  }

  @Override
  public StoreResult store(UserId userId, List<CallRecord> calls) {
    if (calls.isEmpty()) {
      return StoreResult.NOTHING;
    }
    List<CallRecord> rows = StoredCalls.normalize(calls);
    int changed =
        Failures.translate(
            "store calls",
            () ->
                jdbi.inTransaction(handle -> mergeAndRaise(handle.getConnection(), userId, rows)));
    return new StoreResult(calls.size(), changed);
  }

  private int mergeAndRaise(Connection connection, UserId userId, List<CallRecord> calls)
      throws SQLException {
    int changed = merge(connection, userId, calls);
    if (changed > 0) {
      versions.raise(connection, userId);
    }
    return changed;
  }

  private int merge(Connection connection, UserId userId, List<CallRecord> calls)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(merge)) {
      for (CallRecord call : calls) {
        int p = 1;
        statement.setString(p++, userId.value());
        statement.setString(p++, call.id());
        statement.setString(p++, call.orgId());
        statement.setObject(p++, Instants.toDb(call.createdAt()));
        statement.setObject(p++, Instants.toDb(call.updatedAt()));
        statement.setObject(p++, Instants.toDb(call.startedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        statement.setObject(p++, Instants.toDb(call.endedAt()), Types.TIMESTAMP_WITH_TIMEZONE);
        statement.setObject(p++, StoredCalls.durationMicros(call), Types.BIGINT);
        statement.setString(p++, call.type());
        statement.setString(p++, call.status());
        statement.setString(p++, call.endedReason());
        statement.setString(p++, call.assistantId());
        for (BigDecimal amount :
            new BigDecimal[] {
              call.cost(),
              call.costs().transport(),
              call.costs().stt(),
              call.costs().llm(),
              call.costs().tts(),
              call.costs().vapi(),
              call.costs().analysis()
            }) {
          statement.setBigDecimal(p++, amount);
        }
        statement.setString(p, CostItemRows.digest(call.costItems()));
        statement.addBatch();
      }
      int[] counts = statement.executeBatch();
      List<StoredCall> written = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          written.add(StoredCall.of(calls.get(i)));
        }
      }
      // A written call's items are replaced whole; an unchanged call's stay as they are.
      CostItemRows.delete(
          connection, tables, userId, written.stream().map(StoredCall::callId).toList());
      CostItemRows.insert(connection, tables, userId, written);
      return written.size();
    }
  }

  @Override
  public boolean storeIfNewer(UserId userId, CallRecord call) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(call, "call");
    return Failures.translate(
        "store a pushed call",
        () ->
            retryingRacedInserts(
                () ->
                    jdbi.inTransaction(
                        handle -> {
                          Connection connection = handle.getConnection();
                          Optional<Stored> stored = lock(connection, userId, call.id());
                          if (stored.isPresent()
                              && !call.updatedAt()
                                  .truncatedTo(ChronoUnit.MICROS)
                                  .isAfter(stored.get().updatedAt())) {
                            return false;
                          }
                          return mergeAndRaise(connection, userId, List.of(call)) > 0;
                        })));
  }

  @Override
  public boolean storeStatus(UserId userId, CallRecord call, Instant at) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(call, "call");
    Instant statusAt = at.truncatedTo(ChronoUnit.MICROS);
    return Failures.translate(
        "store a pushed status",
        () ->
            retryingRacedInserts(
                () ->
                    jdbi.inTransaction(
                        handle -> {
                          Connection connection = handle.getConnection();
                          Optional<Stored> stored = lock(connection, userId, call.id());
                          if (stored.isEmpty()) {
                            merge(connection, userId, List.of(call));
                            setStatus(connection, userId, call.id(), call.status(), statusAt);
                            versions.raise(connection, userId);
                            return true;
                          }
                          Stored row = stored.get();
                          if (!row.acceptsStatusAt(statusAt)) {
                            return false;
                          }
                          setStatus(connection, userId, call.id(), call.status(), statusAt);
                          if (Objects.equals(row.status, call.status())) {
                            return false;
                          }
                          versions.raise(connection, userId);
                          return true;
                        })));
  }

  /**
   * Runs a transaction again when its insert lost a race with another writer's insert of the same
   * call (H2 reports it as a duplicate key); the next attempt finds the row and locks it.
   */
  private static boolean retryingRacedInserts(Failures.SqlWork<Boolean> transaction)
      throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (SQLException | RuntimeException e) {
        if (attempt >= ATTEMPTS || !DUPLICATE_KEY.equals(Failures.sqlState(e))) {
          throw e;
        }
      }
    }
  }

  private Optional<Stored> lock(Connection connection, UserId userId, String callId)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(LOCK_STORED))) {
      statement.setString(1, userId.value());
      statement.setString(2, callId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Stored(
                Instants.read(rs, "updated_at"),
                rs.getString("status"),
                Instants.read(rs, "status_at")));
      }
    }
  }

  private void setStatus(
      Connection connection, UserId userId, String callId, String status, Instant at)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(SET_STATUS))) {
      statement.setString(1, status);
      statement.setObject(2, Instants.toDb(at));
      statement.setString(3, userId.value());
      statement.setString(4, callId);
      statement.executeUpdate();
    }
  }

  /** What a pushed status is weighed against: the stored version and the last pushed status. */
  private record Stored(Instant updatedAt, String status, Instant statusAt) {
    boolean acceptsStatusAt(Instant at) {
      return at.isAfter(updatedAt) && (statusAt == null || at.isAfter(statusAt));
    }
  }

  @Override
  public UsageMetrics aggregate(UserId userId, DateRange range) {
    return Failures.translate(
        "sum calls",
        () ->
            jdbi.inTransaction(
                TransactionIsolationLevel.REPEATABLE_READ,
                handle ->
                    RawAggregation.aggregate(
                        handle.getConnection(), tables, Dialect.H2, userId, range)));
  }
}
