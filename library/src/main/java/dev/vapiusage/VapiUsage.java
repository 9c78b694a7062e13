package dev.vapiusage;

import dev.vapiusage.adapter.http.CurrentUser;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.http.VapiUsageRoutes;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.AuthenticateToken;
import dev.vapiusage.application.ConnectCommand;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.CreateUserToken;
import dev.vapiusage.application.DisconnectVapi;
import dev.vapiusage.application.ExportCalls;
import dev.vapiusage.application.FetchLiveMetrics;
import dev.vapiusage.application.GetCall;
import dev.vapiusage.application.GetDashboardUsage;
import dev.vapiusage.application.GetIntegrationStatus;
import dev.vapiusage.application.IntegrationStatus;
import dev.vapiusage.application.ListCalls;
import dev.vapiusage.application.ManageWebhook;
import dev.vapiusage.application.RefreshAssistantNames;
import dev.vapiusage.application.SyncAllConnected;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncSettings;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.application.WatchUsage;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.MetricsSource;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * vapi-usage in one object: the database (migrated into its own schema), the sealed Vapi keys, the
 * Vapi client, the use cases, the background sync and the HTTP routes with the dashboard pages.
 *
 * <pre>{@code
 * VapiUsage vapiUsage = VapiUsage.builder()
 *     .dataSource(dataSource)                 // your pool; every table lives in schema vapi_usage
 *     .encryptionKey(encryptionKey)           // ≥ 32 characters, seals the stored Vapi keys
 *     .currentUser(ctx -> Optional.ofNullable(ctx.<String>sessionAttribute("userId")).map(UserId::of))
 *     .prefix("/admin/vapi")                  // the API and the pages live under it
 *     .build()
 *     .start();                               // migrations, then the background sync
 * vapiUsage.mount(app);                       // your io.javalin.Javalin
 * // on shutdown: vapiUsage.close();
 * }</pre>
 *
 * {@link #close()} stops the background sync and closes what it opened itself (a pool it made from
 * a JDBC URL, its scheduler), never what the host handed in. Thread-safe once built.
 */
public final class VapiUsage implements AutoCloseable {
  /** The background sync's period unless {@link Builder#syncInterval} says otherwise. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMinutes(15);

  /** A dashboard view older than this since the last sync syncs first. */
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(5);

  private final Database database;
  private final boolean ownsDatabase;
  private final Builder settings;
  private final ConnectVapi connect;
  private final DisconnectVapi disconnect;
  private final GetIntegrationStatus status;
  private final FetchLiveMetrics liveMetrics;
  private final SyncUsage sync;
  private final GetDashboardUsage dashboard;
  private final ListCalls listCalls;
  private final GetCall getCall;
  private final ExportCalls exportCalls;
  private final ManageWebhook manageWebhook;
  private final AcceptServerMessage acceptServerMessage;
  private final WatchUsage watchUsage;
  private final SyncAllConnected syncAll;
  private final CreateUserToken createToken;
  private final AuthenticateToken authenticate;
  private final BackgroundSync background;

  private VapiUsage(Builder builder, Database database, boolean ownsDatabase) {
    this.settings = builder;
    this.database = database;
    this.ownsDatabase = ownsDatabase;
    try {
      KeyVault vault =
          builder.keyVault != null ? builder.keyVault : database.keyVault(builder.encryptionKey);
      VapiClient client = builder.vapiClient();
      MetricsSource vapi = client;
      SyncListener listener = builder.syncListener;
      if (builder.meterRegistry != null) {
        vapi = new MeteredMetricsSource(vapi, builder.meterRegistry);
        listener = SyncListener.both(new SyncMeters(builder.meterRegistry), listener);
      }
      Clock clock = builder.clock;
      connect = new ConnectVapi(database.integrations(), vault, vapi, clock);
      disconnect = new DisconnectVapi(database.integrations(), clock);
      status = new GetIntegrationStatus(database.integrations(), database.syncRuns());
      liveMetrics = new FetchLiveMetrics(database.integrations(), vault, vapi, client, clock);
      RefreshAssistantNames assistantNames =
          new RefreshAssistantNames(client, database.assistantNames(), clock);
      sync =
          new SyncUsage(
              database.integrations(),
              vault,
              vapi,
              database.usage(),
              database.syncLease(),
              database.syncCursors(),
              clock,
              SyncSettings.DEFAULTS,
              listener,
              builder.executor != null ? builder.executor : SyncUsage.defaultStorers(),
              assistantNames);
      dashboard =
          new GetDashboardUsage(
              database.integrations(),
              database.usage(),
              sync,
              clock,
              builder.staleAfter,
              database.versions(),
              database.assistantNames(),
              database.callHistory());
      syncAll = new SyncAllConnected(database.integrations(), sync);
      listCalls =
          new ListCalls(
              database.callHistory(), database.assistantNames(), database.signingKeys(), clock);
      getCall = new GetCall(database.callHistory(), database.assistantNames(), clock);
      exportCalls = new ExportCalls(database.callHistory(), database.assistantNames(), clock);
      manageWebhook = new ManageWebhook(database.webhookEndpoints(), vault);
      acceptServerMessage =
          new AcceptServerMessage(
              database.webhookEndpoints(),
              database.integrations(),
              vault,
              VapiClient.serverMessageReader(),
              database.usage(),
              clock);
      watchUsage = new WatchUsage(database.versions());
      createToken = new CreateUserToken(database.userTokens(), clock);
      authenticate = new AuthenticateToken(database.userTokens());
      background = new BackgroundSync(syncAll, builder.syncInterval, builder.scheduler);
    } catch (RuntimeException e) {
      if (ownsDatabase) {
        database.close();
      }
      throw e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the background sync (migrations already ran in {@link Builder#build()}). */
  public VapiUsage start() {
    background.start();
    return this;
  }

  /** Serves the API and, unless turned off, the pages on the host's Javalin, under the prefix. */
  public void mount(Javalin app) {
    routes().mount(app);
  }

  /**
   * The same as {@link #mount}, while the host configures its application in {@code
   * Javalin.create}.
   */
  public void registerOn(JavalinConfig config) {
    routes().registerOn(config);
  }

  private VapiUsageRoutes routes() {
    CurrentUser currentUser =
        Objects.requireNonNull(
            settings.currentUser,
            "currentUser is required to mount the routes in a host application");
    VapiUsageRoutes.Builder routes =
        VapiUsageRoutes.builder()
            .useCases(
                connect,
                disconnect,
                status,
                liveMetrics,
                sync,
                dashboard,
                listCalls,
                getCall,
                exportCalls,
                manageWebhook,
                acceptServerMessage)
            .watchUsage(watchUsage)
            .currentUser(currentUser)
            .clock(settings.clock)
            .prefix(settings.prefix)
            .pages(settings.pages)
            .loginPath(settings.loginPath);
    if (settings.meterRegistry != null) {
      routes.meterRegistry(settings.meterRegistry);
    }
    return routes.build();
  }

  /**
   * The standalone server on this instance: API tokens from {@link #createUserToken} and the login
   * page instead of a host's users. The caller adds its own options and starts it.
   */
  public VapiUsageHttp.Builder standaloneServer() {
    return VapiUsageHttp.builder()
        .useCases(
            connect,
            disconnect,
            status,
            liveMetrics,
            sync,
            dashboard,
            listCalls,
            getCall,
            exportCalls,
            manageWebhook,
            acceptServerMessage)
        .watchUsage(watchUsage)
        .authenticateToken(authenticate)
        .health(database::isReachable)
        .clock(settings.clock);
  }

  /** A new API token for a standalone-server user (created when new); shown once, stored hashed. */
  public String createUserToken(UserId userId) {
    return createToken.create(userId);
  }

  /**
   * Verifies a user's Vapi key with Vapi and stores it sealed, as {@code POST /api/vapi/connect}
   * does.
   */
  public IntegrationStatus connect(UserId userId, ApiKey apiKey) {
    return connect.connect(new ConnectCommand(userId, apiKey));
  }

  /** The sync use case, for a sync run outside a request (e.g. from a command line). */
  public SyncUsage sync() {
    return sync;
  }

  /** Whether the database answers. */
  public boolean isDatabaseReachable() {
    return database.isReachable();
  }

  /** The database's product and version, e.g. for a start-up log line. */
  public String databaseDescription() {
    return database.productVersion();
  }

  @Override
  public void close() {
    background.close();
    if (ownsDatabase) {
      database.close();
    }
  }

  /**
   * The settings. Exactly one database ({@link #dataSource}, {@link #jdbcUrl} or {@link #embedded})
   * and one of {@link #encryptionKey} or {@link #keyVault} are required; the rest have defaults.
   */
  public static final class Builder {
    private DataSource dataSource;
    private String jdbcUrl;
    private String jdbcUser;
    private String jdbcPassword;
    private Path embeddedDir;
    private String schema = "vapi_usage";
    private String encryptionKey;
    private KeyVault keyVault;
    private URI vapiBaseUrl = URI.create("https://api.vapi.ai");
    private Function<URI, VapiClient> vapi;
    private Executor executor;
    private CurrentUser currentUser;
    private String prefix = "";
    private String loginPath = "/login";
    private boolean pages = true;
    private Duration syncInterval = DEFAULT_SYNC_INTERVAL;
    private Duration staleAfter = DEFAULT_STALE_AFTER;
    private ScheduledExecutorService scheduler;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;
    private SyncListener syncListener = SyncListener.NONE;

    private Builder() {}

    /** The host application's own pool; the product never closes it. */
    public Builder dataSource(DataSource value) {
      dataSource = Objects.requireNonNull(value, "dataSource");
      return this;
    }

    /** A PostgreSQL (or H2) JDBC URL; the product opens and closes a pool of its own. */
    public Builder jdbcUrl(String url, String user, String password) {
      jdbcUrl = Objects.requireNonNull(url, "url");
      jdbcUser = user;
      jdbcPassword = password;
      return this;
    }

    /** An embedded H2 file database in a folder, shared with other processes on this machine. */
    public Builder embedded(Path dataDir) {
      embeddedDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /**
     * The PostgreSQL schema that holds every table, index and migration record; default {@code
     * vapi_usage}.
     */
    public Builder databaseSchema(String value) {
      schema = Database.checkSchemaName(Objects.requireNonNull(value, "databaseSchema"));
      return this;
    }

    /** The master secret the stored Vapi keys are sealed with, at least 32 characters. */
    public Builder encryptionKey(String value) {
      encryptionKey = Objects.requireNonNull(value, "encryptionKey");
      return this;
    }

    /** A key vault of the host's own instead of {@link #encryptionKey}. */
    public Builder keyVault(KeyVault value) {
      keyVault = Objects.requireNonNull(value, "keyVault");
      return this;
    }

    /** The Vapi API; default {@code https://api.vapi.ai}. */
    public Builder vapiBaseUrl(URI value) {
      vapiBaseUrl = Objects.requireNonNull(value, "vapiBaseUrl");
      return this;
    }

    /**
     * Runs a sync's storing and its parallel listing requests on the host's threads (left running
     * on {@link VapiUsage#close()}); default: daemon threads of their own, named {@code
     * vapi-usage-store-N} and {@code vapi-listing-N}.
     */
    public Builder executor(Executor value) {
      executor = Objects.requireNonNull(value, "executor");
      return this;
    }

    private VapiClient vapiClient() {
      if (vapi != null) {
        return vapi.apply(vapiBaseUrl);
      }
      VapiClientConfig config = VapiClientConfig.forBaseUri(vapiBaseUrl);
      return new VapiClient(executor == null ? config : config.withExecutor(executor));
    }

    /** How the Vapi client is made from the base URL; for the server's own tuning. */
    public Builder vapiClient(Function<URI, VapiClient> value) {
      vapi = Objects.requireNonNull(value, "vapiClient");
      return this;
    }

    /** Who is signed in to the host application; required for {@link VapiUsage#mount}. */
    public Builder currentUser(CurrentUser value) {
      currentUser = Objects.requireNonNull(value, "currentUser");
      return this;
    }

    /** Where the routes live in the host, e.g. {@code /admin/vapi}; default the root. */
    public Builder prefix(String value) {
      prefix = VapiUsageRoutes.Builder.checkPrefix(Objects.requireNonNull(value, "prefix"));
      return this;
    }

    /** Where a page sends a visitor who is not signed in; default {@code /login}. */
    public Builder loginPath(String value) {
      loginPath = Objects.requireNonNull(value, "loginPath");
      return this;
    }

    /** Whether to serve the dashboard pages; default true. */
    public Builder pages(boolean value) {
      pages = value;
      return this;
    }

    /** The background sync's period; {@link Duration#ZERO} turns it off. Default 15 minutes. */
    public Builder syncInterval(Duration value) {
      syncInterval = requireNotNegative(value, "syncInterval");
      return this;
    }

    /**
     * A view older than this since the last sync syncs first; {@code ZERO}: never. Default 5
     * minutes.
     */
    public Builder staleAfter(Duration value) {
      staleAfter = requireNotNegative(value, "staleAfter");
      return this;
    }

    /**
     * Runs the background sync on the host's scheduler (left running on {@link VapiUsage#close()});
     * default: a daemon thread of its own named {@code vapi-usage-background-sync}.
     */
    public Builder scheduler(ScheduledExecutorService value) {
      scheduler = Objects.requireNonNull(value, "scheduler");
      return this;
    }

    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Where HTTP, sync and Vapi-client figures are recorded; default: not recorded. */
    public Builder meterRegistry(MeterRegistry value) {
      meterRegistry = Objects.requireNonNull(value, "meterRegistry");
      return this;
    }

    /** Told of every sync's progress and end, e.g. to print it. */
    public Builder syncListener(SyncListener value) {
      syncListener = Objects.requireNonNull(value, "syncListener");
      return this;
    }

    /**
     * Opens the database and runs its migrations, and opens the key vault (which checks the
     * encryption key against the stored keys). Nothing runs in the background until {@link #start}.
     */
    public VapiUsage build() {
      int databases =
          (dataSource != null ? 1 : 0) + (jdbcUrl != null ? 1 : 0) + (embeddedDir != null ? 1 : 0);
      if (databases != 1) {
        throw new IllegalStateException(
            "Give exactly one database: dataSource, jdbcUrl or embedded");
      }
      if ((encryptionKey == null) == (keyVault == null)) {
        throw new IllegalStateException("Give exactly one of encryptionKey and keyVault");
      }
      Database database;
      if (dataSource != null) {
        database = Database.using(dataSource, schema);
      } else if (jdbcUrl != null) {
        database = Database.connect(jdbcUrl, jdbcUser, jdbcPassword, schema);
      } else {
        database = Database.embedded(embeddedDir);
      }
      return new VapiUsage(this, database, dataSource == null);
    }

    private static Duration requireNotNegative(Duration value, String name) {
      if (Objects.requireNonNull(value, name).isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      return value;
    }
  }
}
