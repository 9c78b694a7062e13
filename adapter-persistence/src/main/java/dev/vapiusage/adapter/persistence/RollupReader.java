package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads a range's metrics from the rollups on PostgreSQL, so a 31-day range reads a few thousand
 * rollup rows instead of every call. Writes nothing: a range with a dirty day answers empty.
 * Thread-safe.
 */
final class RollupReader {
  /**
   * The whole rollup read as one statement, so its parts share one snapshot (no transaction needed)
   * and it costs one round trip. Part S answers alone when a day the range needs is dirty in that
   * snapshot (only clean days have rollups equal to their calls); otherwise parts D (per day, with
   * the cost components) and G (per assistant, type and ended reason) answer. Whole UTC days come
   * from the day rollups, the partial days at both ends from the calls, read once for all three
   * groupings (and again, with their cost items, for part M, byModel). The scalar subquery turns
   * the day starts into timestamptz once, not per row.
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
          + " GROUP BY dimension, group_value),"
          + " models AS (SELECT component, provider, model_name, SUM(calls) AS calls, SUM(cost) AS cost,"
          + " SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
          + " SUM(characters) AS characters, SUM(minutes) AS minutes FROM (SELECT component, provider,"
          + " model AS model_name, calls, cost, prompt_tokens, completion_tokens, characters, minutes"
          + " FROM {schema}.usage_day_model WHERE user_id = ? AND day >= ? AND day < ?"
          + " UNION ALL SELECT component, provider, model_name, 1, cost, prompt_tokens, completion_tokens,"
          + " characters, minutes FROM ("
          + RawAggregation.perCallModelSums(
              "c.user_id = ? AND ((c.created_at >= ? AND c.created_at < ?) OR (c.created_at >= ? AND c.created_at < ?))")
          + ") partial) x GROUP BY component, provider, model_name)"
          + " SELECT 'S' AS part, NULL AS part_key, NULL AS group_value, 0 AS calls, 0 AS duration_us, 0 AS cost,"
          + " 0 AS cost_transport, 0 AS cost_stt, 0 AS cost_llm, 0 AS cost_tts, 0 AS cost_vapi, 0 AS cost_analysis,"
          + " CAST(NULL AS text) AS provider, CAST(NULL AS text) AS model_name, CAST(NULL AS numeric) AS prompt_tokens,"
          + " CAST(NULL AS numeric) AS completion_tokens, CAST(NULL AS numeric) AS characters,"
          + " CAST(NULL AS numeric) AS minutes"
          + " FROM dirty WHERE stale"
          + " UNION ALL SELECT 'D', CAST(day_index AS text), NULL, calls, duration_us, cost, cost_transport, cost_stt,"
          + " cost_llm, cost_tts, cost_vapi, cost_analysis, NULL, NULL, NULL, NULL, NULL, NULL"
          + " FROM daily WHERE NOT (SELECT stale FROM dirty)"
          + " UNION ALL SELECT 'G', dimension, group_value, calls, duration_us, cost, NULL, NULL, NULL, NULL, NULL, NULL,"
          + " NULL, NULL, NULL, NULL, NULL, NULL FROM grouped WHERE NOT (SELECT stale FROM dirty)"
          + " UNION ALL SELECT 'M', component, NULL, calls, 0, cost, NULL, NULL, NULL, NULL, NULL, NULL, provider,"
          + " model_name, prompt_tokens, completion_tokens, characters, minutes FROM models"
          + " WHERE NOT (SELECT stale FROM dirty)";

  private final Jdbi jdbi;
  private final Tables tables;

  RollupReader(Jdbi jdbi, Tables tables) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.tables = Objects.requireNonNull(tables, "tables");
  }

  /** The metrics from the rollups; empty when a day the range needs is dirty. */
  Optional<UsageMetrics> read(UserId userId, DateRange range, DayBounds bounds)
      throws SQLException {
    return jdbi.withHandle(handle -> fromRollups(handle.getConnection(), userId, range, bounds));
  }

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
      statement.setObject(
          p++, Instants.toDb(anyWhole ? DayBounds.midnight(wholeFrom) : bounds.end()));
      statement.setObject(
          p++, Instants.toDb(anyWhole ? DayBounds.midnight(wholeTo) : bounds.end()));
      statement.setObject(p++, Instants.toDb(bounds.end()));
      // The byModel part: whole days from the rollups, the partial days from the items.
      statement.setString(p++, userId.value());
      statement.setObject(p++, anyWhole ? wholeFrom : wholeTo);
      statement.setObject(p++, wholeTo);
      statement.setString(p++, userId.value());
      statement.setObject(p++, Instants.toDb(bounds.start()));
      statement.setObject(
          p++, Instants.toDb(anyWhole ? DayBounds.midnight(wholeFrom) : bounds.end()));
      statement.setObject(
          p++, Instants.toDb(anyWhole ? DayBounds.midnight(wholeTo) : bounds.end()));
      statement.setObject(p, Instants.toDb(bounds.end()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          switch (rs.getString("part")) {
            case "S":
              return Optional.empty();
            case "D":
              builder.addDay(Integer.parseInt(rs.getString("part_key")), rs);
              break;
            case "M":
              builder.addModel(rs.getString("part_key"), rs);
              break;
            default:
              builder.addGroup(rs.getString("part_key").charAt(0), rs.getString("group_value"), rs);
          }
        }
      }
    }
    return Optional.of(builder.build());
  }
}
