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
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Calls on the embedded H2 database: a batch is one JDBC batch of {@code MERGE} statements in one
 * transaction, whose update counts are the changed calls (an unchanged call matches no branch); the
 * items of the changed calls are then replaced. Aggregation sums the calls directly in one
 * statement. Thread-safe.
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
          + " WHEN NOT MATCHED THEN INSERT (user_id, "
          + String.join(", ", StoredCalls.COLUMNS)
          + ") VALUES (s.user_id, "
          + StoredCalls.COLUMNS.stream().map(col -> "s." + col).collect(Collectors.joining(", "))
          + ")";

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
  public UsageMetrics aggregate(UserId userId, DateRange range) {
    return Failures.translate(
        "sum calls",
        () ->
            jdbi.inTransaction(
                TransactionIsolationLevel.REPEATABLE_READ,
                handle -> RawAggregation.aggregate(handle.getConnection(), tables, userId, range)));
  }
}
