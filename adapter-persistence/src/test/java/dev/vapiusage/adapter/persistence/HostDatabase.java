package dev.vapiusage.adapter.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole new PostgreSQL database on the test server, as a host application's database would be:
 * its {@code public} schema is the default one, with no {@code currentSchema} in the URL. Dropped
 * by {@link #close()}.
 */
public final class HostDatabase implements AutoCloseable {
  private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?");

  private final String adminUrl;
  private final String url;
  private final String user;
  private final String password;
  private final String name;

  private HostDatabase(String adminUrl, String url, String user, String password, String name) {
    this.adminUrl = adminUrl;
    this.url = url;
    this.user = user;
    this.password = password;
    this.name = name;
  }

  /** Creates {@code host_<random>} on the server PostgresTestDatabase uses. */
  public static HostDatabase create() throws SQLException {
    PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
    Matcher matcher = URL.matcher(target.jdbcUrl());
    if (!matcher.matches()) {
      throw new IllegalStateException("Not a PostgreSQL JDBC URL with a database name: " + target);
    }
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    String name = "host_" + HexFormat.of().formatHex(random);
    String adminUrl = matcher.group(1) + matcher.group(2) + withoutCurrentSchema(matcher.group(3));
    try (Connection connection =
            DriverManager.getConnection(adminUrl, target.user(), target.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    String url = matcher.group(1) + name + withoutCurrentSchema(matcher.group(3));
    return new HostDatabase(adminUrl, url, target.user(), target.password(), name);
  }

  private static String withoutCurrentSchema(String query) {
    if (query == null) {
      return "";
    }
    List<String> kept = new ArrayList<>();
    for (String parameter : query.substring(1).split("&")) {
      if (!parameter.isEmpty() && !parameter.startsWith("currentSchema=")) {
        kept.add(parameter);
      }
    }
    return kept.isEmpty() ? "" : "?" + String.join("&", kept);
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** A host application's own pool on the database. */
  public HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("host-app");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  /** The first column of every row of a query, as text. */
  public List<String> column(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  public void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * Everything in a schema as text: its relations, columns, indexes, constraints, sequences with
   * their positions, functions, and every row of every table, each table's rows sorted.
   */
  public List<String> dump(String schema) throws SQLException {
    List<String> dump = new ArrayList<>();
    String where = "'" + schema + "'";
    for (String query :
        List.of(
            "SELECT 'relation ' || c.relname || ' ' || CAST(c.relkind AS text) FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                + where
                + " ORDER BY 1",
            "SELECT 'column ' || table_name || '.' || column_name || ' ' || ordinal_position || ' ' || data_type"
                + " || ' ' || is_nullable || ' ' || COALESCE(column_default, '-') FROM information_schema.columns"
                + " WHERE table_schema = "
                + where
                + " ORDER BY 1",
            "SELECT 'index ' || indexdef FROM pg_catalog.pg_indexes WHERE schemaname = "
                + where
                + " ORDER BY 1",
            "SELECT 'constraint ' || conname || ' ' || pg_catalog.pg_get_constraintdef(c.oid) FROM pg_catalog.pg_constraint c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = "
                + where
                + " ORDER BY 1",
            "SELECT 'sequence ' || sequencename || ' ' || COALESCE(CAST(last_value AS text), '-')"
                + " FROM pg_catalog.pg_sequences WHERE schemaname = "
                + where
                + " ORDER BY 1",
            "SELECT 'function ' || p.proname FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE n.nspname = "
                + where
                + " ORDER BY 1")) {
      dump.addAll(column(query));
    }
    for (String table :
        column(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = "
                + where
                + " ORDER BY 1")) {
      for (String row :
          column("SELECT CAST(t AS text) FROM \"" + schema + "\"." + table + " t ORDER BY 1")) {
        dump.add("row " + table + " " + row);
      }
    }
    return dump;
  }

  /** The schemas that are not PostgreSQL's own. */
  public List<String> schemas() throws SQLException {
    return column(
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'"
            + " ORDER BY 1");
  }

  /** The tables of a schema. */
  public List<String> tables(String schema) throws SQLException {
    return column(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = '"
            + schema
            + "' ORDER BY 1");
  }

  @Override
  public void close() throws SQLException {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  @Override
  public String toString() {
    return "HostDatabase[" + name + "]";
  }
}
