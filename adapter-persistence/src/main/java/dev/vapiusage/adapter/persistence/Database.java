package dev.vapiusage.adapter.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.DataVersions;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.SigningKeys;
import dev.vapiusage.domain.port.SyncCursors;
import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.port.SyncRuns;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.port.UserTokenRepository;
import dev.vapiusage.domain.port.WebhookEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistence adapter's entry point: a migrated PostgreSQL or embedded H2 database and the
 * ports stored in it.
 *
 * <p>Open one per process with {@link #connect} (a JDBC URL, pooled by HikariCP), {@link #embedded}
 * (an H2 file database under a data directory, shared with other processes through H2's AUTO_SERVER
 * mode) or {@link #using} (a host application's own {@link DataSource}); each runs the schema
 * migrations before it returns. The ports it hands out are thread-safe and may be used by any
 * number of threads and processes at once. {@link #close()} closes the pool it opened.
 *
 * <p>On PostgreSQL everything the product creates (tables, indexes, sequences, its migration
 * history) lives in one schema, {@code DATABASE_SCHEMA} (default {@value #DEFAULT_SCHEMA}, created
 * when missing), so the database may be an application's own: nothing outside that schema is
 * created, altered or written, and two installations on one database use two schemas. Statements
 * name the tables with the schema, so connections of a host's pool keep their {@code search_path}.
 * An installation made before schemas existed is moved into it at the first start (see {@link
 * SchemaMove}). The embedded H2 database is the product's own file and keeps its tables in H2's
 * default schema.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int POOL_SIZE = 10;
  private static final int EMBEDDED_POOL_SIZE = 5;
  private static final String EMBEDDED_USER = "vapiusage";
  private static final int MIN_POSTGRESQL = 14;

  /** The default {@code DATABASE_SCHEMA}. */
  public static final String DEFAULT_SCHEMA = Tables.DEFAULT_SCHEMA;

  private final DataSource dataSource;
  private final HikariDataSource ownedPool;
  private final Dialect dialect;
  private final Tables tables;
  private final String productVersion;
  private final KeyVaultOpening vaultOpening;
  private final MasterKeyRotation keyRotation;
  private final IntegrationRepository integrations;
  private final UsageRepository usage;
  private final SyncLease syncLease;
  private final SyncRuns syncRuns;
  private final SyncCursors syncCursors;
  private final UserTokenRepository userTokens;
  private final JdbcDataVersions versions;
  private final CallHistory callHistory;
  private final AssistantNames assistantNames;
  private final SigningKeys signingKeys;
  private final WebhookEndpoints webhookEndpoints;

  /** Test settings; production always uses {@link #DEFAULTS}. */
  record Settings(int kdfIterations, boolean usageRollups) {
    static final Settings DEFAULTS = new Settings(MasterKey.DEFAULT_ITERATIONS, true);
  }

  private Database(
      DataSource dataSource, HikariDataSource ownedPool, String schema, Settings settings) {
    this.dataSource = dataSource;
    this.ownedPool = ownedPool;
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData meta = connection.getMetaData();
      this.dialect = Dialect.fromProductName(meta.getDatabaseProductName());
      this.productVersion = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
      if (dialect == Dialect.POSTGRESQL && meta.getDatabaseMajorVersion() < MIN_POSTGRESQL) {
        // The rollups use date_bin, new in PostgreSQL 14.
        throw new IllegalArgumentException(
            productVersion
                + " is too old: vapi-usage needs PostgreSQL "
                + MIN_POSTGRESQL
                + " or newer");
      }
    } catch (SQLException | IllegalArgumentException e) {
      throw startFailure("Cannot open the database", e);
    }
    this.tables = dialect == Dialect.POSTGRESQL ? Tables.in(schema) : Tables.unqualified();
    migrate();
    Jdbi jdbi = Jdbi.create(dataSource);
    // Jdbi statements name tables as {schema}.name too; this puts the schema there.
    jdbi.setTemplateEngine((template, context) -> tables.sql(template));
    // Statement text only: bound values (sealed keys, token hashes) stay out of exception messages.
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
    MasterKeys masterKeys = new MasterKeys(jdbi, Clock.systemUTC());
    SecureRandom random = new SecureRandom();
    this.vaultOpening =
        new KeyVaultOpening(masterKeys, settings.kdfIterations(), Clock.systemUTC(), random);
    this.keyRotation =
        new MasterKeyRotation(
            masterKeys,
            new SealedKeyRows(jdbi, Clock.systemUTC()),
            settings.kdfIterations(),
            Clock.systemUTC(),
            random);
    this.versions = new JdbcDataVersions(dataSource, dialect, tables);
    this.integrations = new JdbiIntegrationRepository(jdbi, dialect, versions);
    this.usage =
        dialect == Dialect.POSTGRESQL
            ? new PostgresUsageRepository(jdbi, versions, tables, settings.usageRollups())
            : new H2UsageRepository(jdbi, versions, tables);
    this.syncLease = new JdbiSyncLease(jdbi, dialect);
    this.syncRuns = new JdbiSyncRuns(jdbi);
    this.syncCursors = new JdbiSyncCursors(jdbi, dialect);
    this.userTokens = new JdbiUserTokenRepository(jdbi, dialect);
    this.callHistory = new JdbiCallHistory(jdbi, dialect, tables);
    this.assistantNames = new JdbiAssistantNames(jdbi, dialect, tables, versions);
    this.signingKeys = new JdbiSigningKeys(dataSource, tables, random, Clock.systemUTC());
    this.webhookEndpoints = new JdbiWebhookEndpoints(jdbi, dialect, Clock.systemUTC());
    if (tables.schema() == null) {
      LOG.info("Database ready: {}", productVersion);
    } else {
      LOG.info("Database ready: {}, schema {}", productVersion, tables.schema());
    }
  }

  /**
   * Opens a pool on a JDBC URL ({@code jdbc:postgresql://…}, or {@code jdbc:h2:…}) and migrates the
   * schema {@value #DEFAULT_SCHEMA}. {@code user} and {@code password} may be null to use the
   * driver's defaults.
   *
   * @throws UsageException with a one-line message when the database cannot be reached or migrated
   */
  public static Database connect(String jdbcUrl, String user, String password) {
    return connect(jdbcUrl, user, password, DEFAULT_SCHEMA);
  }

  /**
   * Opens a pool on a JDBC URL and migrates the PostgreSQL schema {@code schema} (DATABASE_SCHEMA),
   * creating it when missing; on H2 the name is checked and the tables stay in H2's default schema.
   *
   * @throws UsageException with a one-line message when the schema name is not a plain identifier
   *     or the database cannot be reached or migrated
   */
  public static Database connect(String jdbcUrl, String user, String password, String schema) {
    return connect(jdbcUrl, user, password, schema, Settings.DEFAULTS);
  }

  static Database connect(
      String jdbcUrl, String user, String password, String schema, Settings settings) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    checkSchema(schema);
    if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
      throw new UsageException(
          ErrorCode.INVALID_REQUEST,
          "DATABASE_URL is not a JDBC URL of PostgreSQL (jdbc:postgresql://host:5432/database) or H2");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("vapi-usage");
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(jdbcUrl.startsWith("jdbc:h2:") ? EMBEDDED_POOL_SIZE : POOL_SIZE);
    // A shared PostgreSQL has few connections to spare: open more only under load.
    config.setMinimumIdle(2);
    config.setConnectionTimeout(10_000);
    // Fail at start with the driver's reason instead of waiting for the first request.
    config.setInitializationFailTimeout(1);
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      config.addDataSourceProperty("ApplicationName", "vapi-usage");
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw startFailure("Cannot connect to the database", e);
    }
    try {
      return new Database(pool, pool, schema, settings);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Opens (creating when new) the embedded H2 database in {@code dataDir}. Other processes opening
   * the same directory share it: the first one serves it to the others (H2 AUTO_SERVER, which
   * accepts only clients that can read the directory's lock file and password file).
   */
  public static Database embedded(Path dataDir) {
    return embedded(dataDir, Settings.DEFAULTS);
  }

  static Database embedded(Path dataDir, Settings settings) {
    Path dir = dataDir.toAbsolutePath().normalize();
    if (dir.toString().contains(";")) {
      // H2 reads settings after a semicolon in its URL.
      throw new UsageException(ErrorCode.INVALID_REQUEST, "DATA_DIR must not contain ';'");
    }
    String password;
    try {
      Files.createDirectories(dir);
      password = EmbeddedPassword.readOrCreate(dir.resolve("vapi-usage.password"));
    } catch (IOException e) {
      throw startFailure("Cannot use DATA_DIR " + dir, e);
    }
    // WRITE_DELAY=0: a commit reaches the file before the statement returns, so a killed process
    // (a CLI command, a crashed server) loses nothing it reported as done.
    return connect(
        "jdbc:h2:file:" + dir.resolve("vapi-usage") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0",
        EMBEDDED_USER,
        password,
        DEFAULT_SCHEMA,
        settings);
  }

  /**
   * Uses a host application's data source (its pool, its credentials) and migrates the PostgreSQL
   * schema {@value #DEFAULT_SCHEMA}. {@link #close()} leaves the data source open: the host owns
   * it.
   */
  public static Database using(DataSource dataSource) {
    return using(dataSource, DEFAULT_SCHEMA);
  }

  /**
   * Uses a host application's data source and migrates the PostgreSQL schema {@code schema},
   * creating it when missing. Nothing outside that schema is created or written, and the host's
   * connections go back with the session settings they came with.
   *
   * @throws UsageException with a one-line message when the schema name is not a plain identifier
   *     or the database cannot be reached or migrated
   */
  public static Database using(DataSource dataSource, String schema) {
    return using(dataSource, schema, Settings.DEFAULTS);
  }

  static Database using(DataSource dataSource, String schema, Settings settings) {
    checkSchema(schema);
    return new Database(Objects.requireNonNull(dataSource, "dataSource"), null, schema, settings);
  }

  /**
   * Checks a DATABASE_SCHEMA value: a plain identifier {@code [a-z_][a-z0-9_]{0,62}}, not one of
   * PostgreSQL's own schemas. Returns it.
   *
   * @throws IllegalArgumentException with a one-line message naming DATABASE_SCHEMA
   */
  public static String checkSchemaName(String schema) {
    return Tables.checkSchemaName(schema);
  }

  private static void checkSchema(String schema) {
    try {
      Tables.checkSchemaName(schema);
    } catch (IllegalArgumentException e) {
      throw new UsageException(ErrorCode.INVALID_REQUEST, e.getMessage());
    }
  }

  /** The database product and version, e.g. {@code PostgreSQL 15.4}. */
  public String productVersion() {
    return productVersion;
  }

  /** The PostgreSQL schema holding the product's tables; empty on H2. */
  public Optional<String> schema() {
    return Optional.ofNullable(tables.schema());
  }

  /** Whether this is the embedded H2 database rather than PostgreSQL. */
  public boolean isEmbedded() {
    return dialect == Dialect.H2;
  }

  public IntegrationRepository integrations() {
    return integrations;
  }

  public UsageRepository usage() {
    return usage;
  }

  /** The per-user sync lease, which logs the runs that hold it in {@link #syncRuns()}. */
  public SyncLease syncLease() {
    return syncLease;
  }

  /** The log of sync runs. */
  public SyncRuns syncRuns() {
    return syncRuns;
  }

  /** Each user's incremental sync cursor. */
  public SyncCursors syncCursors() {
    return syncCursors;
  }

  public UserTokenRepository userTokens() {
    return userTokens;
  }

  /**
   * The stored calls one by one, in the list order (the calls {@link #usage()} stores), and one
   * call with its cost items.
   */
  public CallHistory callHistory() {
    return callHistory;
  }

  /** Each user's assistant roster; replacing it with different names raises the data version. */
  public AssistantNames assistantNames() {
    return assistantNames;
  }

  /** This installation's random keys, one per purpose, shared by every process on the database. */
  public SigningKeys signingKeys() {
    return signingKeys;
  }

  /** Each user's webhook endpoint: the id in its URL and the sealed webhook secret. */
  public WebhookEndpoints webhookEndpoints() {
    return webhookEndpoints;
  }

  /** Each user's data version, raised by every change the other ports store. */
  public DataVersions versions() {
    return versions;
  }

  /**
   * The key vault for the master secret {@code ENCRYPTION_KEY}: derives the key (slow on purpose,
   * so call it once at start-up and keep the vault) and checks it against the stored key-check
   * value. The first call on a new database creates the master key.
   *
   * @throws EncryptionKeyException when the secret is too short ({@code TOO_SHORT}), is not the one
   *     the stored keys were sealed with ({@code WRONG_KEY}; nothing is changed), or is the target
   *     of an unfinished rotate-key ({@code ROTATION_UNFINISHED})
   */
  public KeyVault keyVault(String encryptionKey) {
    return vaultOpening.open(encryptionKey);
  }

  /**
   * Re-seals every stored Vapi key from {@code oldEncryptionKey} (OLD_ENCRYPTION_KEY) to {@code
   * encryptionKey} (ENCRYPTION_KEY). Safe to interrupt: running it again with the same two secrets
   * finishes the work, and running it after it finished changes nothing. Afterwards the old secret
   * opens nothing and a server must start with the new one.
   *
   * @throws EncryptionKeyException when a secret is too short or the old one is wrong
   */
  public KeyRotation rotateKey(String oldEncryptionKey, String encryptionKey) {
    return rotateKey(oldEncryptionKey, encryptionKey, resealed -> {});
  }

  KeyRotation rotateKey(String oldEncryptionKey, String encryptionKey, IntConsumer afterEachKey) {
    return keyRotation.rotate(oldEncryptionKey, encryptionKey, afterEachKey);
  }

  /** Whether the database answers within two seconds, for health checks. */
  public boolean isReachable() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Closes the connection pool this object opened; a host's data source is left open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      ownedPool.close();
    }
  }

  Dialect dialect() {
    return dialect;
  }

  DataSource dataSource() {
    return dataSource;
  }

  private void migrate() {
    FluentConfiguration config =
        Flyway.configure()
            .dataSource(dataSource)
            .locations(dialect.migrations())
            .failOnMissingLocations(true);
    if (tables.schema() != null) {
      // The history table lives in the schema too, apart from any history of the host's.
      config.schemas(tables.schema()).defaultSchema(tables.schema()).createSchemas(true);
    }
    Flyway flyway = config.load();
    if (tables.schema() != null) {
      try {
        SchemaMove.moveIfOurs(dataSource, tables, flyway);
      } catch (SQLException | FlywayException e) {
        throw startFailure("Cannot move the tables into DATABASE_SCHEMA " + tables.schema(), e);
      }
    }
    try {
      flyway.migrate();
    } catch (FlywayException e) {
      throw startFailure("Cannot migrate the database schema", e);
    }
  }

  /** A one-line start-up failure carrying the root cause's own message (never a password). */
  private static UsageException startFailure(String what, Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new UsageException(
        ErrorCode.INTERNAL_ERROR, what + ": " + reason.lines().findFirst().orElse(reason), e);
  }
}
