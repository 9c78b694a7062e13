package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.UserId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * How a call's cost items map to the rows of {@code usage_cost_item}, shared by both dialects, and
 * the digest of a call's items kept on its {@code usage_call} row.
 */
final class CostItemRows {
  /** Every column but user_id and call_id, in the order of {@link CostItem}. */
  static final String VALUE_COLUMNS =
      "item_type, cost, provider, model, voice_id, minutes, characters, prompt_tokens,"
          + " completion_tokens";

  /**
   * A byModel group's model in SQL, as {@link CostItem#modelKey()} has it: a voice item without a
   * model counts under its voice id.
   */
  static final String MODEL_KEY =
      "CASE WHEN i.item_type = 'voice' THEN COALESCE(i.model, i.voice_id) ELSE i.model END";

  /** The item types byModel breaks down, as an SQL list. */
  static final String MODEL_TYPES = "('model', 'voice', 'transcriber')";

  private static final String INSERT =
      "INSERT INTO {schema}.usage_cost_item (user_id, call_id, item_no, "
          + VALUE_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String DELETE_OF_CALL =
      "DELETE FROM {schema}.usage_cost_item WHERE user_id = ? AND call_id = ?";
  private static final String COPY =
      "COPY {schema}.usage_cost_item (user_id, call_id, item_no, "
          + VALUE_COLUMNS
          + ") FROM STDIN WITH (FORMAT binary)";
  private static final String READ =
      "SELECT "
          + VALUE_COLUMNS
          + " FROM {schema}.usage_cost_item WHERE user_id = ? AND call_id = ? ORDER BY item_no";

  private static final int DIGEST_BYTES = 16;

  private CostItemRows() {}

  /**
   * A digest of the items, null for none: equal for items that store the same (amounts by value),
   * different for any other change, the order included.
   */
  static String digest(List<CostItem> items) {
    if (items.isEmpty()) {
      return null;
    }
    // Length-prefixed fields: no value can pass for another field or item.
    StringBuilder text = new StringBuilder(64 * items.size());
    for (CostItem item : items) {
      field(text, item.type());
      field(text, item.cost().toPlainString());
      field(text, item.provider());
      field(text, item.model());
      field(text, item.voiceId());
      field(text, item.minutes() == null ? null : item.minutes().toPlainString());
      field(text, item.characters() == null ? null : item.characters().toString());
      field(text, item.promptTokens() == null ? null : item.promptTokens().toString());
      field(text, item.completionTokens() == null ? null : item.completionTokens().toString());
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, DIGEST_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  private static void field(StringBuilder text, String value) {
    if (value == null) {
      text.append('-');
    } else {
      text.append(value.length()).append(':').append(value);
    }
  }

  /** Deletes the stored items of the calls, in the caller's transaction. */
  static void delete(
      Connection connection, Tables tables, UserId userId, Collection<String> callIds)
      throws SQLException {
    if (callIds.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(DELETE_OF_CALL))) {
      for (String callId : callIds) {
        statement.setString(1, userId.value());
        statement.setString(2, callId);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Inserts the calls' items with a JDBC batch, in the caller's transaction. */
  static void insert(
      Connection connection, Tables tables, UserId userId, Collection<StoredCall> calls)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(INSERT))) {
      int rows = 0;
      for (StoredCall call : calls) {
        int itemNo = 0;
        for (CostItem item : call.items()) {
          int p = 1;
          statement.setString(p++, userId.value());
          statement.setString(p++, call.callId());
          statement.setInt(p++, itemNo++);
          statement.setString(p++, item.type());
          statement.setBigDecimal(p++, item.cost());
          statement.setString(p++, item.provider());
          statement.setString(p++, item.model());
          statement.setString(p++, item.voiceId());
          statement.setBigDecimal(p++, item.minutes());
          statement.setObject(p++, item.characters(), Types.BIGINT);
          statement.setObject(p++, item.promptTokens(), Types.BIGINT);
          statement.setObject(p, item.completionTokens(), Types.BIGINT);
          statement.addBatch();
          rows++;
        }
      }
      if (rows > 0) {
        statement.executeBatch();
      }
    }
  }

  /** COPYs the calls' items on PostgreSQL, in the caller's transaction. */
  static void copy(Connection connection, Tables tables, UserId userId, List<StoredCall> calls)
      throws SQLException {
    boolean any = false;
    for (StoredCall call : calls) {
      if (!call.items().isEmpty()) {
        any = true;
        break;
      }
    }
    if (!any) {
      return;
    }
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(tables.sql(COPY));
    try {
      CopyBinary rows = new CopyBinary(PostgresCallWriter.COPY_PIECE + 1024).header();
      for (StoredCall call : calls) {
        int itemNo = 0;
        for (CostItem item : call.items()) {
          rows.startRow(12);
          rows.text(userId.value());
          rows.text(call.callId());
          rows.integer(itemNo++);
          rows.text(item.type());
          rows.numeric(item.cost());
          rows.text(item.provider());
          rows.text(item.model());
          rows.text(item.voiceId());
          rows.numeric(item.minutes());
          rows.bigint(item.characters());
          rows.bigint(item.promptTokens());
          rows.bigint(item.completionTokens());
          if (rows.size() >= PostgresCallWriter.COPY_PIECE) {
            rows.sendTo(copy);
          }
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

  /** The stored items of one call, in Vapi's order. */
  static List<CostItem> read(Connection connection, Tables tables, UserId userId, String callId)
      throws SQLException {
    List<CostItem> items = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(READ))) {
      statement.setString(1, userId.value());
      statement.setString(2, callId);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          items.add(
              new CostItem(
                  rs.getString("item_type"),
                  rs.getBigDecimal("cost"),
                  rs.getString("provider"),
                  rs.getString("model"),
                  rs.getString("voice_id"),
                  rs.getBigDecimal("minutes"),
                  whole(rs, "characters"),
                  whole(rs, "prompt_tokens"),
                  whole(rs, "completion_tokens")));
        }
      }
    }
    return items;
  }

  /** A nullable count: a nullable BIGINT, or a nullable SUM of one (NUMERIC on PostgreSQL). */
  static Long whole(ResultSet rs, String column) throws SQLException {
    BigDecimal value = rs.getBigDecimal(column);
    return value == null ? null : value.longValueExact();
  }
}
