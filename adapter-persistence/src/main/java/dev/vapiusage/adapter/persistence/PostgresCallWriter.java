package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Stores calls on PostgreSQL.
 *
 * <p>Storing a batch is one transaction holding the user's advisory lock (so writers of one user
 * never interleave). When none of a sample of the batch (16 calls per 1,000) is stored, the batch
 * is COPYed as new at once (a first sync); otherwise, 1,000 calls at a time, the stored versions
 * are read by key, the new calls COPYed, and only the changed ones updated from arrays. Either way
 * the UTC days whose rollups the written calls touch are marked dirty in the same transaction (see
 * {@link UsageRollups}). A call's cost items go with it: COPYed after new calls, and rewritten for
 * a changed call only when the digest of its items on the call row changed. An unchanged call costs
 * one index read and no write; COPY is the fastest way PostgreSQL takes rows. Thread-safe.
 */
final class PostgresCallWriter {
  private static final int CHUNK = 1000;

  /** Bytes of COPY text formatted before they are sent. */
  static final int COPY_PIECE = 32 * 1024;

  /** How many calls of a batch are looked up before betting that all of it is new. */
  private static final int SAMPLE = 16;

  private static final String UNIQUE_VIOLATION = "23505";
  // One round trip: the lock first (FROM locked), then the probe, then the marks only if no call
  // of the sample is stored.
  private static final String LOCK_PROBE_MARK =
      "WITH locked AS (SELECT pg_advisory_xact_lock(?, ?)),"
          + " probe AS (SELECT EXISTS (SELECT 1 FROM {schema}.usage_call WHERE user_id = ? AND call_id = ANY(?)) AS stored FROM locked),"
          + " marked AS (INSERT INTO {schema}.usage_dirty_day (user_id, day) SELECT ?, d.day"
          + " FROM unnest(CAST(? AS date[])) AS d(day), probe WHERE NOT probe.stored ON CONFLICT (user_id, day) DO NOTHING)"
          + " SELECT stored FROM probe";

  /**
   * The by-id lookups are prepared once per pooled connection, and a generic plan made while
   * usage_call was small scans every stored row of the user for each batch (a first sync slowed
   * from 15.9k to 9.3k calls/s over 150k calls), so a store asks for custom plans.
   */
  private static final String CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan";

  // The ids arrive through a sub-select: given the array itself, the planner weighs each of a
  // thousand ids against the column's statistics, and making the plan took longer than running
  // it (an unchanged re-store ran at 52k rows/s; 200k+ this way). The lookup still uses the key.
  private static final String READ_STORED =
      "SELECT "
          + StoredCall.COLUMNS
          + " FROM {schema}.usage_call WHERE user_id = ? AND call_id = ANY(ARRAY(SELECT unnest(CAST(? AS text[]))))";
  private static final String COPY_NEW =
      "COPY {schema}.usage_call (user_id, "
          + StoredCall.COLUMNS
          + ") FROM STDIN WITH (FORMAT binary)";
  private static final String UPDATE_CHANGED =
      "UPDATE {schema}.usage_call c SET "
          + StoredCalls.VALUE_COLUMNS.stream()
              .map(col -> col + " = t." + col)
              .collect(Collectors.joining(", "))
          // A replaced call's status is the new version's, not a status message's any more.
          + ", status_at = NULL"
          + " FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS timestamptz[]), CAST(? AS timestamptz[]),"
          + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), CAST(? AS bigint[]), CAST(? AS text[]),"
          + " CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS numeric[]), CAST(? AS numeric[]),"
          + " CAST(? AS numeric[]), CAST(? AS numeric[]), CAST(? AS numeric[]), CAST(? AS numeric[]),"
          + " CAST(? AS numeric[]), CAST(? AS text[])) AS t("
          + StoredCall.COLUMNS
          + ") WHERE c.user_id = ? AND c.call_id = t.call_id";

  private final Jdbi jdbi;
  private final JdbcDataVersions versions;
  private final Tables tables;
  private final UsageRollups rollups;

  PostgresCallWriter(Jdbi jdbi, JdbcDataVersions versions, Tables tables, UsageRollups rollups) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.versions = Objects.requireNonNull(versions, "versions");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
  }

  StoreResult store(UserId userId, List<CallRecord> calls) {
    if (calls.isEmpty()) {
      return StoreResult.NOTHING;
    }
    List<CallRecord> rows = StoredCalls.normalize(calls);
    int changed =
        Failures.translate(
            "store calls",
            () -> {
              try {
                return storeAll(userId, rows, true);
              } catch (SQLException e) {
                // A batch that looked new held a stored call after all: store it the careful way.
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                  throw e;
                }
                return storeAll(userId, rows, false);
              }
            });
    return new StoreResult(calls.size(), changed);
  }

  private int storeAll(UserId userId, List<CallRecord> rows, boolean mayCopyAsNew)
      throws SQLException {
    return jdbi.inTransaction(
        handle -> {
          Connection connection = handle.getConnection();
          try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(CUSTOM_PLANS);
          }
          int sum = 0;
          if (mayCopyAsNew && copiedAsNew(connection, userId, rows)) {
            sum = rows.size();
          } else {
            if (!mayCopyAsNew) {
              UserLock.lock(connection, userId);
            }
            for (int from = 0; from < rows.size(); from += CHUNK) {
              sum +=
                  storeChunk(
                      connection, userId, rows.subList(from, Math.min(rows.size(), from + CHUNK)));
            }
          }
          if (sum > 0) {
            versions.raise(connection, userId);
          }
          return sum;
        });
  }

  /**
   * Stores up to {@link #CHUNK} calls: reads the stored versions by key, COPYs the new calls,
   * updates the changed ones from arrays, and marks the UTC days whose rollups they touch (a
   * changed call's old day too). The caller holds the user's lock, which keeps the read and the
   * writes consistent.
   */
  private int storeChunk(Connection connection, UserId userId, List<CallRecord> calls)
      throws SQLException {
    Map<String, StoredCall> stored = readStored(connection, userId, calls);
    List<StoredCall> inserts = new ArrayList<>();
    List<StoredCall> updates = new ArrayList<>();
    List<StoredCall> newItems = new ArrayList<>();
    TreeSet<LocalDate> dirtyDays = new TreeSet<>();
    for (CallRecord call : calls) {
      StoredCall incoming = StoredCall.of(call);
      StoredCall existing = stored.get(call.id());
      if (existing == null) {
        inserts.add(incoming);
      } else if (!existing.sameValuesAs(incoming)) {
        updates.add(incoming);
        if (!Objects.equals(existing.itemsDigest(), incoming.itemsDigest())) {
          newItems.add(incoming);
        }
        dirtyDays.add(UsageRollups.utcDate(existing.createdAt()));
      } else {
        continue;
      }
      dirtyDays.add(UsageRollups.utcDate(incoming.createdAt()));
    }
    if (!inserts.isEmpty()) {
      copyNew(connection, userId, inserts);
    }
    if (!updates.isEmpty()) {
      updateChanged(connection, userId, updates);
    }
    if (!newItems.isEmpty()) {
      CostItemRows.delete(
          connection, tables, userId, newItems.stream().map(StoredCall::callId).toList());
      CostItemRows.insert(connection, tables, userId, newItems);
    }
    rollups.markDirty(connection, userId, dirtyDays);
    return inserts.size() + updates.size();
  }

  /**
   * The fast path of a first sync: one statement takes the user's lock, looks up a sample of the
   * calls ({@link #SAMPLE} per {@link #CHUNK}) and, when none is stored, marks the calls' days;
   * then all are COPYed as new in one stream, with no lookup of the rest, so the server stores rows
   * while the next are written. Answers false, having done nothing but take the lock, when a
   * sampled call is stored. A COPY that meets a stored call fails the transaction with a unique
   * violation; the caller then starts over the careful way.
   */
  private boolean copiedAsNew(Connection connection, UserId userId, List<CallRecord> calls)
      throws SQLException {
    String[] sample =
        new String[Math.min(SAMPLE * ((calls.size() + CHUNK - 1) / CHUNK), calls.size())];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = calls.get((int) ((long) i * calls.size() / sample.length)).id();
    }
    List<StoredCall> inserts = new ArrayList<>(calls.size());
    TreeSet<LocalDate> days = new TreeSet<>();
    for (CallRecord call : calls) {
      StoredCall incoming = StoredCall.of(call);
      inserts.add(incoming);
      days.add(UsageRollups.utcDate(incoming.createdAt()));
    }
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(LOCK_PROBE_MARK))) {
      statement.setInt(1, UserLock.LOCK_NAMESPACE);
      statement.setInt(2, UserLock.key(userId));
      statement.setString(3, userId.value());
      statement.setArray(4, connection.createArrayOf("text", sample));
      statement.setString(5, userId.value());
      statement.setArray(
          6,
          connection.createArrayOf(
              "text", days.stream().map(LocalDate::toString).toArray(String[]::new)));
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          return false;
        }
      }
    }
    copyNew(connection, userId, inserts);
    return true;
  }

  private Map<String, StoredCall> readStored(
      Connection connection, UserId userId, List<CallRecord> calls) throws SQLException {
    Map<String, StoredCall> stored = new HashMap<>(calls.size() * 2);
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(READ_STORED))) {
      statement.setString(1, userId.value());
      statement.setArray(
          2,
          connection.createArrayOf(
              "text", calls.stream().map(CallRecord::id).toArray(String[]::new)));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          StoredCall call = StoredCall.read(rs);
          stored.put(call.callId(), call);
        }
      }
    }
    return stored;
  }

  /**
   * New calls go in by COPY, the fastest way PostgreSQL takes rows, in its binary format. The rows
   * are sent in pieces as they are written, so the server stores the first while the last are still
   * being written.
   */
  void copyNew(Connection connection, UserId userId, List<StoredCall> calls) throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(tables.sql(COPY_NEW));
    try {
      CopyBinary rows = new CopyBinary(COPY_PIECE + 1024).header();
      for (StoredCall call : calls) {
        rows.startRow(StoredCalls.COLUMNS.size() + 1);
        rows.text(userId.value());
        rows.text(call.callId());
        rows.text(call.orgId());
        rows.instant(call.createdAt());
        rows.instant(call.updatedAt());
        rows.instant(call.startedAt());
        rows.instant(call.endedAt());
        rows.bigint(call.durationMicros());
        rows.text(call.type());
        rows.text(call.status());
        rows.text(call.endedReason());
        rows.text(call.assistantId());
        rows.numeric(call.cost());
        rows.numeric(call.transport());
        rows.numeric(call.stt());
        rows.numeric(call.llm());
        rows.numeric(call.tts());
        rows.numeric(call.vapi());
        rows.numeric(call.analysis());
        rows.text(call.itemsDigest());
        if (rows.size() >= COPY_PIECE) {
          rows.sendTo(copy);
        }
      }
      rows.trailer();
      rows.sendTo(copy);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    CostItemRows.copy(connection, tables, userId, calls);
  }

  void updateChanged(Connection connection, UserId userId, List<StoredCall> calls)
      throws SQLException {
    int n = calls.size();
    String[][] texts = new String[7][n];
    String[][] instants = new String[4][n];
    Long[] durations = new Long[n];
    BigDecimal[][] amounts = new BigDecimal[7][n];
    for (int i = 0; i < n; i++) {
      StoredCall call = calls.get(i);
      texts[0][i] = call.callId();
      texts[1][i] = call.orgId();
      instants[0][i] = Instants.toText(call.createdAt());
      instants[1][i] = Instants.toText(call.updatedAt());
      instants[2][i] = Instants.toText(call.startedAt());
      instants[3][i] = Instants.toText(call.endedAt());
      durations[i] = call.durationMicros();
      texts[2][i] = call.type();
      texts[3][i] = call.status();
      texts[4][i] = call.endedReason();
      texts[5][i] = call.assistantId();
      amounts[0][i] = call.cost();
      amounts[1][i] = call.transport();
      amounts[2][i] = call.stt();
      amounts[3][i] = call.llm();
      amounts[4][i] = call.tts();
      amounts[5][i] = call.vapi();
      amounts[6][i] = call.analysis();
      texts[6][i] = call.itemsDigest();
    }
    // Typed arrays, so the server parses each value once, straight into its column's type.
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(UPDATE_CHANGED))) {
      int p = 1;
      statement.setArray(p++, connection.createArrayOf("text", texts[0]));
      statement.setArray(p++, connection.createArrayOf("text", texts[1]));
      for (String[] column : instants) {
        statement.setArray(p++, connection.createArrayOf("timestamptz", column));
      }
      statement.setArray(p++, connection.createArrayOf("int8", durations));
      for (int t = 2; t <= 5; t++) {
        statement.setArray(p++, connection.createArrayOf("text", texts[t]));
      }
      for (BigDecimal[] column : amounts) {
        statement.setArray(p++, connection.createArrayOf("numeric", column));
      }
      statement.setArray(p++, connection.createArrayOf("text", texts[6]));
      statement.setString(p, userId.value());
      statement.executeUpdate();
    }
  }
}
