package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UserId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import org.jdbi.v3.core.Jdbi;

/**
 * Maintains a user's per-quarter-hour and per-day rollups (groups and byModel) on PostgreSQL. The
 * write path marks the UTC days its calls touch dirty ({@link #markDirty}, in the store's own
 * transaction); {@link #bringUpToDate} rebuilds the dirty days of a range from their calls and
 * clears their marks. Only clean days have rollups equal to their calls. Thread-safe.
 */
final class UsageRollups {
  /** Rebuild at most this many dirty days per transaction, so a store waits briefly at most. */
  private static final int REBUILD_DAYS_PER_TRANSACTION = 31;

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
  private static final String DELETE_MODELS =
      "DELETE FROM {schema}.usage_day_model WHERE day = ANY(CAST(? AS date[])) AND user_id = ?";
  // One pass over the days' calls feeds the three rollups; a call's items of one byModel group are
  // summed first, so the call counts once in it.
  private static final String INSERT_ROLLUPS =
      "WITH calls AS MATERIALIZED (SELECT c.user_id, d.day, c.call_id, c.created_at, c.duration_us, c.cost, c.cost_transport,"
          + " c.cost_stt, c.cost_llm, c.cost_tts, c.cost_vapi, c.cost_analysis, c.assistant_id, c.call_type,"
          + " c.ended_reason FROM unnest(CAST(? AS date[])) AS d(day) JOIN {schema}.usage_call c ON c.user_id = ?"
          + " AND c.created_at >= (CAST(d.day AS timestamp) AT TIME ZONE 'UTC')"
          + " AND c.created_at < (CAST(d.day + 1 AS timestamp) AT TIME ZONE 'UTC')),"
          + " quarters AS (INSERT INTO {schema}.usage_quarter_hour (user_id, bucket_start, calls, duration_us, cost,"
          + " cost_transport, cost_stt, cost_llm, cost_tts, cost_vapi, cost_analysis)"
          + " SELECT user_id, date_bin('15 minutes', created_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket, "
          + RawAggregation.FIGURES
          + " FROM calls GROUP BY user_id, bucket),"
          + " models AS (INSERT INTO {schema}.usage_day_model (user_id, day, component, provider, model, calls, cost,"
          + " prompt_tokens, completion_tokens, characters, minutes)"
          + " SELECT user_id, day, component, provider, model_name, COUNT(*), SUM(cost), SUM(prompt_tokens),"
          + " SUM(completion_tokens), SUM(characters), SUM(minutes) FROM (SELECT c.user_id, c.day,"
          + " i.item_type AS component, i.provider, "
          + CostItemRows.MODEL_KEY
          + " AS model_name, SUM(i.cost) AS cost, SUM(i.prompt_tokens) AS prompt_tokens,"
          + " SUM(i.completion_tokens) AS completion_tokens, SUM(i.characters) AS characters,"
          + " SUM(i.minutes) AS minutes FROM calls c JOIN {schema}.usage_cost_item i"
          + " ON i.user_id = c.user_id AND i.call_id = c.call_id WHERE i.item_type IN "
          + CostItemRows.MODEL_TYPES
          + " GROUP BY c.user_id, c.day, c.call_id, i.item_type, i.provider, "
          + CostItemRows.MODEL_KEY
          + ") per_call GROUP BY user_id, day, component, provider, model_name)"
          + " INSERT INTO {schema}.usage_day_group (user_id, day, dimension, group_value, calls, duration_us, cost)"
          + " SELECT c.user_id, c.day, g.dimension, g.group_value, COUNT(*), COALESCE(SUM(c.duration_us), 0),"
          + " COALESCE(SUM(c.cost), 0) FROM calls c CROSS JOIN LATERAL (VALUES ('A', c.assistant_id),"
          + " ('T', c.call_type), ('R', c.ended_reason)) AS g(dimension, group_value)"
          + " GROUP BY c.user_id, c.day, g.dimension, g.group_value";
  private static final String DELETE_DIRTY =
      "DELETE FROM {schema}.usage_dirty_day WHERE day = ANY(CAST(? AS date[])) AND user_id = ?";

  /** The rebuild, in order; each statement takes the dirty days and the user id. */
  private static final List<String> REBUILD =
      List.of(DELETE_QUARTERS, DELETE_GROUPS, DELETE_MODELS, INSERT_ROLLUPS, DELETE_DIRTY);

  private final Jdbi jdbi;
  private final Tables tables;

  UsageRollups(Jdbi jdbi, Tables tables) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.tables = Objects.requireNonNull(tables, "tables");
  }

  static LocalDate utcDate(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  /** Marks {@code days} dirty, in the caller's transaction (which holds the user's lock). */
  void markDirty(Connection connection, UserId userId, SortedSet<LocalDate> days)
      throws SQLException {
    if (days.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(MARK_DIRTY))) {
      statement.setString(1, userId.value());
      statement.setArray(
          2,
          connection.createArrayOf(
              "text", days.stream().map(LocalDate::toString).toArray(String[]::new)));
      statement.executeUpdate();
    }
  }

  /**
   * Brings the user's rollups of {@code [from, to]} up to date: rebuilds the dirty days' rollups
   * from their calls, a few weeks per transaction. Each holds the user's advisory lock, so no store
   * of the user runs meanwhile: the rollups and the cleared marks commit together and always match
   * the calls.
   */
  void bringUpToDate(UserId userId, LocalDate from, LocalDate to) throws SQLException {
    for (LocalDate first = from;
        !first.isAfter(to);
        first = first.plusDays(REBUILD_DAYS_PER_TRANSACTION)) {
      LocalDate chunkFrom = first;
      LocalDate chunkLast = first.plusDays(REBUILD_DAYS_PER_TRANSACTION - 1);
      LocalDate chunkTo = chunkLast.isAfter(to) ? to : chunkLast;
      jdbi.useTransaction(handle -> rebuild(handle.getConnection(), userId, chunkFrom, chunkTo));
    }
  }

  private void rebuild(Connection connection, UserId userId, LocalDate from, LocalDate to)
      throws SQLException {
    UserLock.lock(connection, userId);
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
