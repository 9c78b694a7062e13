package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Sums a user's calls of a range straight from {@code usage_call} in one portable statement: each
 * call's day is found by comparing its creation instant with the day boundaries computed in Java,
 * and the four groupings come back as a UNION ALL of small grouped results; byModel is a second
 * statement over the calls' cost items, so callers run both in one repeatable-read transaction. H2
 * always uses it; PostgreSQL uses it for zones whose midnights are not on UTC quarter hours.
 */
final class RawAggregation {
  static final String FIGURES =
      "COUNT(*) AS calls, COALESCE(SUM(duration_us), 0) AS duration_us, COALESCE(SUM(cost), 0) AS cost,"
          + " COALESCE(SUM(cost_transport), 0) AS cost_transport, COALESCE(SUM(cost_stt), 0) AS cost_stt,"
          + " COALESCE(SUM(cost_llm), 0) AS cost_llm, COALESCE(SUM(cost_tts), 0) AS cost_tts,"
          + " COALESCE(SUM(cost_vapi), 0) AS cost_vapi, COALESCE(SUM(cost_analysis), 0) AS cost_analysis";

  /**
   * The byModel sums of the calls a WHERE clause on {@code usage_call c} selects: a call's items of
   * one group are summed first, so the call counts once in that group however many it has.
   */
  static String modelSums(String callsWhere) {
    return "SELECT component, provider, model_name, COUNT(*) AS calls, SUM(cost) AS cost,"
        + " SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,"
        + " SUM(characters) AS characters, SUM(minutes) AS minutes FROM ("
        + perCallModelSums(callsWhere)
        + ") per_call GROUP BY component, provider, model_name";
  }

  /**
   * One row per call and byModel group of the calls a WHERE clause on {@code usage_call c} selects.
   */
  static String perCallModelSums(String callsWhere) {
    return "SELECT i.item_type AS component, i.provider AS provider, "
        + CostItemRows.MODEL_KEY
        + " AS model_name, SUM(i.cost) AS cost, SUM(i.prompt_tokens) AS prompt_tokens,"
        + " SUM(i.completion_tokens) AS completion_tokens, SUM(i.characters) AS characters,"
        + " SUM(i.minutes) AS minutes FROM {schema}.usage_call c JOIN {schema}.usage_cost_item i"
        + " ON i.user_id = c.user_id AND i.call_id = c.call_id WHERE "
        + callsWhere
        + " AND i.item_type IN "
        + CostItemRows.MODEL_TYPES
        + " GROUP BY c.call_id, i.item_type, i.provider, "
        + CostItemRows.MODEL_KEY;
  }

  private static final String MODELS =
      modelSums("c.user_id = ? AND c.created_at >= ? AND c.created_at < ?");

  private RawAggregation() {}

  static UsageMetrics aggregate(
      Connection connection, Tables tables, UserId userId, DateRange range) throws SQLException {
    DayBounds bounds = new DayBounds(range);
    MetricsBuilder builder = new MetricsBuilder(range);
    try (PreparedStatement statement =
        connection.prepareStatement(tables.sql(sql(bounds.dayCount())))) {
      int p = 1;
      // The CASE compares with the start of every day but the first.
      for (int day = 1; day < bounds.dayCount(); day++) {
        statement.setObject(p++, Instants.toDb(bounds.bound(day)));
      }
      statement.setString(p++, userId.value());
      statement.setObject(p++, Instants.toDb(bounds.start()));
      statement.setObject(p, Instants.toDb(bounds.end()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          char dimension = rs.getString("dimension").charAt(0);
          String value = rs.getString("group_value");
          if (dimension == 'D') {
            builder.addDay(Integer.parseInt(value), rs);
          } else {
            builder.addGroup(dimension, value, rs);
          }
        }
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(MODELS))) {
      statement.setString(1, userId.value());
      statement.setObject(2, Instants.toDb(bounds.start()));
      statement.setObject(3, Instants.toDb(bounds.end()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          builder.addModel(rs.getString("component"), rs);
        }
      }
    }
    return builder.build();
  }

  private static String sql(int dayCount) {
    StringBuilder dayIndex = new StringBuilder();
    if (dayCount == 1) {
      dayIndex.append("0");
    } else {
      dayIndex.append("CASE");
      for (int day = 0; day < dayCount - 1; day++) {
        dayIndex.append(" WHEN created_at < ? THEN ").append(day);
      }
      dayIndex.append(" ELSE ").append(dayCount - 1).append(" END");
    }
    return "WITH c AS (SELECT "
        + dayIndex
        + " AS day_index, assistant_id, call_type, ended_reason, duration_us, cost, cost_transport,"
        + " cost_stt, cost_llm, cost_tts, cost_vapi, cost_analysis FROM {schema}.usage_call"
        + " WHERE user_id = ? AND created_at >= ? AND created_at < ?)"
        + " SELECT 'D' AS dimension, CAST(day_index AS VARCHAR(12)) AS group_value, "
        + FIGURES
        + " FROM c GROUP BY day_index"
        + " UNION ALL SELECT 'A', assistant_id, "
        + FIGURES
        + " FROM c GROUP BY assistant_id"
        + " UNION ALL SELECT 'T', call_type, "
        + FIGURES
        + " FROM c GROUP BY call_type"
        + " UNION ALL SELECT 'R', ended_reason, "
        + FIGURES
        + " FROM c GROUP BY ended_reason";
  }
}
