package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.UsageRepository;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Calls on PostgreSQL.
 *
 * <p>Storing a batch is one transaction holding the user's advisory lock (so writers of one user
 * never interleave). When none of a sample of the batch (16 calls per 1,000) is stored, the batch
 * is COPYed as new at once (a first sync); otherwise, 1,000 calls at a time, the stored versions
 * are read by key, the new calls COPYed, and only the changed ones updated from arrays. Either way the UTC days whose rollups the
 * written calls touch are marked dirty in the same transaction. An unchanged call costs one index
 * read and no write; COPY is the fastest way PostgreSQL takes rows.
 *
 * <p>Aggregation reads per-quarter-hour and per-day rollups, first rebuilding the dirty days the
 * range needs, so a 31-day range reads a few thousand rollup rows instead of every call; zones
 * whose midnights are not on quarter hours are summed from the calls directly. Thread-safe.
 */
final class PostgresUsageRepository implements UsageRepository {
  private static final int CHUNK = 1000;
  /** Bytes of COPY text formatted before they are sent. */
  private static final int COPY_PIECE = 32 * 1024;
  /** Rebuild at most this many dirty days per transaction, so a store waits briefly at most. */
  private static final int REBUILD_DAYS_PER_TRANSACTION = 31;
  private static final int ROLLUP_READ_ATTEMPTS = 3;
  /** First key of the advisory lock that serialises one user's stores and rebuilds ("VAPU"). */
  private static final int LOCK_NAMESPACE = 0x56415055;

  private static final String LOCK_USER = "SELECT pg_advisory_xact_lock(?, ?)";
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
      "SELECT " + StoredCall.COLUMNS + " FROM {schema}.usage_call WHERE user_id = ? AND call_id = ANY(ARRAY(SELECT unnest(CAST(? AS text[]))))";
  private static final String COPY_NEW =
      "COPY {schema}.usage_call (user_id, " + StoredCall.COLUMNS + ") FROM STDIN WITH (FORMAT binary)";
  private static final String UPDATE_CHANGED =
      "UPDATE {schema}.usage_call c SET "
          + StoredCalls.VALUE_COLUMNS.stream().map(col -> col + " = t." + col).collect(Collectors.joining(", "))
          + " FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS timestamptz[]), CAST(? AS timestamptz[]),"
          + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), CAST(? AS bigint[]), CAST(? AS text[]),"
          + " CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS numeric[]), CAST(? AS numeric[]),"
          + " CAST(? AS numeric[]), CAST(? AS numeric[]), CAST(? AS numeric[]), CAST(? AS numeric[]),"
          + " CAST(? AS numeric[])) AS t(" + StoredCall.COLUMNS + ") WHERE c.user_id = ? AND c.call_id = t.call_id";
  private static final String MARK_DIRTY =
      "INSERT INTO {schema}.usage_dirty_day (user_id, day) SELECT ?, d.day FROM unnest(CAST(? AS date[])) AS d(day)"
          + " ON CONFLICT (user_id, day) DO NOTHING";

  private static final String DIRTY_DAYS =
      "SELECT day FROM {schema}.usage_dirty_day WHERE user_id = ? AND day >= ? AND day <= ?";
  private static final String DELETE_QUARTERS =
      "DELETE FROM {schema}.usage_quarter_hour q USING unnest(CAST(? AS date[])) AS d(day) WHERE q.user_id = ?"
          + " AND q.bucket_start >= (CAST(d.day AS timestamp) AT TIME ZONE 'UTC')"
          + " AND q.bucket_start < (CAST(d.day + 1 AS timestamp) AT TIME ZONE 'UTC')";
  private static final String DELETE_GROUPS =
      "DELETE FROM {schema}.usage_day_group WHERE day = ANY(CAST(? AS date[])) AND user_id = ?";
  // One pass over the days' calls feeds both rollups.
  private static final String INSERT_ROLLUPS =
      "WITH calls AS MATERIALIZED (SELECT c.user_id, d.day, c.created_at, c.duration_us, c.cost, c.cost_transport,"
          + " c.cost_stt, c.cost_llm, c.cost_tts, c.cost_vapi, c.cost_analysis, c.assistant_id, c.call_type,"
          + " c.ended_reason FROM unnest(CAST(? AS date[])) AS d(day) JOIN {schema}.usage_call c ON c.user_id = ?"
          + " AND c.created_at >= (CAST(d.day AS timestamp) AT TIME ZONE 'UTC')"
          + " AND c.created_at < (CAST(d.day + 1 AS timestamp) AT TIME ZONE 'UTC')),"
          + " quarters AS (INSERT INTO {schema}.usage_quarter_hour (user_id, bucket_start, calls, duration_us, cost,"
          + " cost_transport, cost_stt, cost_llm, cost_tts, cost_vapi, cost_analysis)"
          + " SELECT user_id, date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, "
          + RawAggregation.FIGURES
          + " FROM calls GROUP BY user_id, bucket)"
          + " INSERT INTO {schema}.usage_day_group (user_id, day, dimension, group_value, calls, duration_us, cost)"
          + " SELECT c.user_id, c.day, g.dimension, g.group_value, COUNT(*), COALESCE(SUM(c.duration_us), 0),"
          + " COALESCE(SUM(c.cost), 0) FROM calls c CROSS JOIN LATERAL (VALUES ('A', c.assistant_id),"
          + " ('T', c.call_type), ('R', c.ended_reason)) AS g(dimension, group_value)"
          + " GROUP BY c.user_id, c.day, g.dimension, g.group_value";
  private static final String DELETE_DIRTY =
      "DELETE FROM {schema}.usage_dirty_day WHERE day = ANY(CAST(? AS date[])) AND user_id = ?";
  /** The rebuild, in order; each statement takes the dirty days and the user id. */
  private static final List<String> REBUILD = List.of(DELETE_QUARTERS, DELETE_GROUPS, INSERT_ROLLUPS, DELETE_DIRTY);

  /**
   * The whole rollup read as one statement, so its parts share one snapshot (no transaction
   * needed) and it costs one round trip. Part S answers alone when a day the range needs is dirty in
   * that snapshot (only clean days have rollups equal to their calls); otherwise parts D (per day,
   * with the cost components) and G (per assistant, type and ended reason) answer. Whole UTC days
   * come from the day rollups, the partial days at both ends from the calls, read once for all
   * three groupings. The scalar subquery turns the day starts into timestamptz once, not per row.
   */
  private static final String FROM_ROLLUPS =
      "WITH dirty AS (SELECT EXISTS (SELECT 1 FROM {schema}.usage_dirty_day WHERE user_id = ? AND day >= ? AND day <= ?)"
          + " AS stale),"
          + " daily AS (SELECT width_bucket(bucket_start, (SELECT CAST(? AS timestamptz[]))) - 1 AS day_index,"
          + " SUM(calls) AS calls, SUM(duration_us) AS duration_us, SUM(cost) AS cost,"
          + " SUM(cost_transport) AS cost_transport, SUM(cost_stt) AS cost_stt, SUM(cost_llm) AS cost_llm,"
          + " SUM(cost_tts) AS cost_tts, SUM(cost_vapi) AS cost_vapi, SUM(cost_analysis) AS cost_analysis"
          + " FROM {schema}.usage_quarter_hour WHERE user_id = ? AND bucket_start >= ? AND bucket_start < ? GROUP BY 1),"
          + " grouped AS (SELECT dimension, group_value, SUM(calls) AS calls, SUM(duration_us) AS duration_us,"
          + " SUM(cost) AS cost FROM (SELECT dimension, group_value, calls, duration_us, cost FROM {schema}.usage_day_group"
          + " WHERE user_id = ? AND day >= ? AND day < ?"
          + " UNION ALL SELECT CASE WHEN GROUPING(assistant_id) = 0 THEN 'A' WHEN GROUPING(call_type) = 0 THEN 'T'"
          + " ELSE 'R' END, CASE WHEN GROUPING(assistant_id) = 0 THEN assistant_id"
          + " WHEN GROUPING(call_type) = 0 THEN call_type ELSE ended_reason END,"
          + " COUNT(*), COALESCE(SUM(duration_us), 0), COALESCE(SUM(cost), 0) FROM {schema}.usage_call WHERE user_id = ?"
          + " AND ((created_at >= ? AND created_at < ?) OR (created_at >= ? AND created_at < ?))"
          + " GROUP BY GROUPING SETS ((assistant_id), (call_type), (ended_reason))) x"
          + " GROUP BY dimension, group_value)"
          + " SELECT 'S' AS part, NULL AS part_key, NULL AS group_value, 0 AS calls, 0 AS duration_us, 0 AS cost,"
          + " 0 AS cost_transport, 0 AS cost_stt, 0 AS cost_llm, 0 AS cost_tts, 0 AS cost_vapi, 0 AS cost_analysis"
          + " FROM dirty WHERE stale"
          + " UNION ALL SELECT 'D', CAST(day_index AS text), NULL, calls, duration_us, cost, cost_transport, cost_stt,"
          + " cost_llm, cost_tts, cost_vapi, cost_analysis FROM daily WHERE NOT (SELECT stale FROM dirty)"
          + " UNION ALL SELECT 'G', dimension, group_value, calls, duration_us, cost, NULL, NULL, NULL, NULL, NULL, NULL"
          + " FROM grouped WHERE NOT (SELECT stale FROM dirty)";

  private final Jdbi jdbi;
  private final boolean useRollups;
  private final JdbcDataVersions versions;
  private final Tables tables;

  /** {@code useRollups = false} always sums the calls directly (tests compare both ways). */
  PostgresUsageRepository(Jdbi jdbi, JdbcDataVersions versions, Tables tables, boolean useRollups) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.versions = Objects.requireNonNull(versions, "versions");
    this.useRollups = useRollups;
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

  private int storeAll(UserId userId, List<CallRecord> rows, boolean mayCopyAsNew) throws SQLException {
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
              lockUser(connection, userId);
            }
            for (int from = 0; from < rows.size(); from += CHUNK) {
              sum += storeChunk(connection, userId, rows.subList(from, Math.min(rows.size(), from + CHUNK)));
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
  private int storeChunk(Connection connection, UserId userId, List<CallRecord> calls) throws SQLException {
    Map<String, StoredCall> stored = readStored(connection, userId, calls);
    List<StoredCall> inserts = new ArrayList<>();
    List<StoredCall> updates = new ArrayList<>();
    TreeSet<LocalDate> dirtyDays = new TreeSet<>();
    for (CallRecord call : calls) {
      StoredCall incoming = StoredCall.of(call);
      StoredCall existing = stored.get(call.id());
      if (existing == null) {
        inserts.add(incoming);
      } else if (!existing.sameValuesAs(incoming)) {
        updates.add(incoming);
        dirtyDays.add(utcDate(existing.createdAt()));
      } else {
        continue;
      }
      dirtyDays.add(utcDate(incoming.createdAt()));
    }
    if (!inserts.isEmpty()) {
      copyNew(connection, userId, inserts);
    }
    if (!updates.isEmpty()) {
      updateChanged(connection, userId, updates);
    }
    markDirty(connection, userId, dirtyDays);
    return inserts.size() + updates.size();
  }

  /**
   * The fast path of a first sync: one statement takes the user's lock, looks up a sample of the
   * calls ({@link #SAMPLE} per {@link #CHUNK}) and, when none is stored, marks the calls' days;
   * then all are COPYed as new in one stream, with no lookup of the rest, so the server stores
   * rows while the next are written. Answers false, having done nothing but take the lock, when a
   * sampled call is stored. A COPY that meets a stored call fails the transaction with a unique
   * violation; the caller then starts over the careful way.
   */
  private boolean copiedAsNew(Connection connection, UserId userId, List<CallRecord> calls) throws SQLException {
    String[] sample = new String[Math.min(SAMPLE * ((calls.size() + CHUNK - 1) / CHUNK), calls.size())];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = calls.get((int) ((long) i * calls.size() / sample.length)).id();
    }
    List<StoredCall> inserts = new ArrayList<>(calls.size());
    TreeSet<LocalDate> days = new TreeSet<>();
    for (CallRecord call : calls) {
      StoredCall incoming = StoredCall.of(call);
      inserts.add(incoming);
      days.add(utcDate(incoming.createdAt()));
    }
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(LOCK_PROBE_MARK))) {
      statement.setInt(1, LOCK_NAMESPACE);
      statement.setInt(2, userId.value().hashCode());
      statement.setString(3, userId.value());
      statement.setArray(4, connection.createArrayOf("text", sample));
      statement.setString(5, userId.value());
      statement.setArray(6, connection.createArrayOf("text", days.stream().map(LocalDate::toString).toArray(String[]::new)));
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

  private void markDirty(Connection connection, UserId userId, TreeSet<LocalDate> days) throws SQLException {
    if (days.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(MARK_DIRTY))) {
      statement.setString(1, userId.value());
      statement.setArray(2, connection.createArrayOf("text", days.stream().map(LocalDate::toString).toArray(String[]::new)));
      statement.executeUpdate();
    }
  }

  private void lockUser(Connection connection, UserId userId) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK_USER)) {
      lock.setInt(1, LOCK_NAMESPACE);
      lock.setInt(2, userId.value().hashCode());
      lock.execute();
    }
  }

  private Map<String, StoredCall> readStored(Connection connection, UserId userId, List<CallRecord> calls)
      throws SQLException {
    Map<String, StoredCall> stored = new HashMap<>(calls.size() * 2);
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(READ_STORED))) {
      statement.setString(1, userId.value());
      statement.setArray(2, connection.createArrayOf("text", calls.stream().map(CallRecord::id).toArray(String[]::new)));
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
   * are sent in pieces as they are written, so the server stores the first while the last are
   * still being written.
   */
  private void copyNew(Connection connection, UserId userId, List<StoredCall> calls) throws SQLException {
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
  }

  private void updateChanged(Connection connection, UserId userId, List<StoredCall> calls) throws SQLException {
    int n = calls.size();
    String[][] texts = new String[8][n];
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
      statement.setString(p, userId.value());
      statement.executeUpdate();
    }
  }

  private static LocalDate utcDate(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  @Override
  public UsageMetrics aggregate(UserId userId, DateRange range) {
    return Failures.translate("sum calls", () -> aggregateChecked(userId, range));
  }

  private UsageMetrics aggregateChecked(UserId userId, DateRange range) throws SQLException {
    DayBounds bounds = new DayBounds(range);
    if (useRollups && bounds.onQuarterHours()) {
      for (int attempt = 0; attempt < ROLLUP_READ_ATTEMPTS; attempt++) {
        Optional<UsageMetrics> metrics = jdbi.withHandle(handle -> fromRollups(handle.getConnection(), userId, range, bounds));
        if (metrics.isPresent()) {
          return metrics.get();
        }
        rebuildDirtyDays(userId, bounds.firstUtcDate(), bounds.lastUtcDate());
      }
    }
    // Writers kept the rollups dirty (or the zone needs it): sum the calls, in one statement too.
    return jdbi.withHandle(handle -> RawAggregation.aggregate(handle.getConnection(), tables, userId, range));
  }

  /** The metrics from the rollups; empty when a day the range needs is dirty. */
  private Optional<UsageMetrics> fromRollups(
      Connection connection, UserId userId, DateRange range, DayBounds bounds) throws SQLException {
    String[] dayStarts = new String[bounds.dayCount()];
    for (int i = 0; i < dayStarts.length; i++) {
      dayStarts[i] = Instants.toText(bounds.bound(i));
    }
    LocalDate wholeFrom = bounds.firstWholeUtcDate();
    LocalDate wholeTo = bounds.endOfWholeUtcDates();
    boolean anyWhole = wholeFrom.isBefore(wholeTo);
    MetricsBuilder builder = new MetricsBuilder(range);
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(FROM_ROLLUPS))) {
      int p = 1;
      statement.setString(p++, userId.value());
      statement.setObject(p++, bounds.firstUtcDate());
      statement.setObject(p++, bounds.lastUtcDate());
      statement.setArray(p++, connection.createArrayOf("text", dayStarts));
      statement.setString(p++, userId.value());
      statement.setObject(p++, Instants.toDb(bounds.start()));
      statement.setObject(p++, Instants.toDb(bounds.end()));
      statement.setString(p++, userId.value());
      statement.setObject(p++, anyWhole ? wholeFrom : wholeTo);
      statement.setObject(p++, wholeTo);
      statement.setString(p++, userId.value());
      statement.setObject(p++, Instants.toDb(bounds.start()));
      statement.setObject(p++, Instants.toDb(anyWhole ? DayBounds.midnight(wholeFrom) : bounds.end()));
      statement.setObject(p++, Instants.toDb(anyWhole ? DayBounds.midnight(wholeTo) : bounds.end()));
      statement.setObject(p, Instants.toDb(bounds.end()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          switch (rs.getString("part")) {
            case "S":
              return Optional.empty();
            case "D":
              builder.addDay(Integer.parseInt(rs.getString("part_key")), rs);
              break;
            default:
              builder.addGroup(rs.getString("part_key").charAt(0), rs.getString("group_value"), rs);
          }
        }
      }
    }
    return Optional.of(builder.build());
  }

  /**
   * Rebuilds the rollups of the user's dirty days in {@code [from, to]}, a few weeks per
   * transaction. Each holds the user's advisory lock, so no store of the user runs meanwhile: the
   * rollups and the cleared marks commit together and always match the calls.
   */
  private void rebuildDirtyDays(UserId userId, LocalDate from, LocalDate to) throws SQLException {
    for (LocalDate first = from; !first.isAfter(to); first = first.plusDays(REBUILD_DAYS_PER_TRANSACTION)) {
      LocalDate chunkFrom = first;
      LocalDate chunkLast = first.plusDays(REBUILD_DAYS_PER_TRANSACTION - 1);
      LocalDate chunkTo = chunkLast.isAfter(to) ? to : chunkLast;
      jdbi.useTransaction(handle -> rebuild(handle.getConnection(), userId, chunkFrom, chunkTo));
    }
  }

  private void rebuild(Connection connection, UserId userId, LocalDate from, LocalDate to) throws SQLException {
    lockUser(connection, userId);
    List<String> days = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(tables.sql(DIRTY_DAYS))) {
      select.setString(1, userId.value());
      select.setObject(2, from);
      select.setObject(3, to);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          days.add(rs.getObject(1, LocalDate.class).toString());
        }
      }
    }
    if (days.isEmpty()) {
      return;
    }
    Array dayArray = connection.createArrayOf("text", days.toArray(new String[0]));
    for (String sql : REBUILD) {
      try (PreparedStatement statement = connection.prepareStatement(tables.sql(sql))) {
        statement.setArray(1, dayArray);
        statement.setString(2, userId.value());
        statement.executeUpdate();
      }
    }
  }
}
