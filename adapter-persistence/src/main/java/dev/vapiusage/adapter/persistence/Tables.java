package dev.vapiusage.adapter.persistence;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where the product's tables are. Statement text names every table as {@code {schema}.name}; {@link
 * #sql} puts the schema there. Qualified names rather than a session {@code search_path}: a host
 * application's pooled connections go back to the host exactly as they came, and no statement can
 * reach a host table that happens to share a name ({@code users}, {@code api_token}).
 *
 * <p>On PostgreSQL every table is in {@code DATABASE_SCHEMA}; the embedded H2 database is the
 * product's own file, so its tables stay in H2's default schema, unqualified. Thread-safe.
 */
final class Tables {
  /** Where a statement names a table: {@code "FROM " + "{schema}.usage_call"}. */
  static final String MARKER = "{schema}.";

  /** The default {@code DATABASE_SCHEMA}. */
  static final String DEFAULT_SCHEMA = "vapi_usage";

  /** Every table the migrations create, to find and move an installation made before schemas. */
  static final List<String> ALL =
      List.of(
          "app_user",
          "api_token",
          "vault_key",
          "vault_state",
          "vapi_integration",
          "usage_call",
          "usage_quarter_hour",
          "usage_day_group",
          "usage_dirty_day",
          "sync_run",
          "sync_lease",
          "sync_cursor",
          "data_version",
          "usage_cost_item",
          "usage_day_model",
          "usage_quarter_model",
          "assistant_roster",
          "assistant_name",
          "signing_key",
          "webhook_endpoint");

  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String schema;
  private final String prefix;
  // Statement text is made once per template: the read of every dashboard view does no string work.
  private final Map<String, String> made = new ConcurrentHashMap<>();

  private Tables(String schema, String prefix) {
    this.schema = schema;
    this.prefix = prefix;
  }

  /** The tables in {@code schema} (checked with {@link #checkSchemaName}). */
  static Tables in(String schema) {
    return new Tables(checkSchemaName(schema), '"' + schema + "\".");
  }

  /** Unqualified names: the embedded H2 database, which holds nothing but the product's tables. */
  static Tables unqualified() {
    return new Tables(null, "");
  }

  /**
   * Checks a {@code DATABASE_SCHEMA}: a plain lower-case identifier (so it means the same quoted or
   * not), and not one of PostgreSQL's own schemas.
   *
   * @throws IllegalArgumentException naming DATABASE_SCHEMA when it is not one
   */
  static String checkSchemaName(String schema) {
    if (schema == null || !PLAIN_IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "DATABASE_SCHEMA must be a plain identifier: a lower-case letter or '_', then up to 62 lower-case"
              + " letters, digits or '_' (default "
              + DEFAULT_SCHEMA
              + ")");
    }
    if (schema.startsWith("pg_") || schema.equals("information_schema")) {
      throw new IllegalArgumentException(
          "DATABASE_SCHEMA must not be one of PostgreSQL's own schemas (" + schema + ")");
    }
    return schema;
  }

  /** The schema the tables are in; null for the unqualified H2 tables. */
  String schema() {
    return schema;
  }

  /** The statement text with each {@code {schema}.} replaced by the quoted schema and a dot. */
  String sql(String template) {
    Objects.requireNonNull(template, "template");
    return made.computeIfAbsent(template, t -> t.replace(MARKER, prefix));
  }
}
