package dev.vapiusage.bootstrap;

import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;

/** Opens the adapters a command needs from its settings. */
public final class Wiring {
  /** Requests in flight while a wide creation window is listed (a range or a first sync). */
  private static final int LISTINGS = 2;

  private Wiring() {}

  /** The settings of a command that takes every option of {@link ConfigOptions}. */
  static Settings settings(ConfigOptions options) {
    return new Settings(System.getenv(), options);
  }

  /**
   * The settings of a command that takes only some groups of options: {@code ownOptions} sets them
   * over the environment's values of every setting.
   */
  static Settings settings(Consumer<ConfigOptions> ownOptions) {
    ConfigOptions options = ConfigOptions.fromEnvironment(System.getenv());
    ownOptions.accept(options);
    return settings(options);
  }

  /**
   * PostgreSQL (its schema {@code DATABASE_SCHEMA}) when {@code DATABASE_URL} is set, else the
   * embedded H2 database in {@code DATA_DIR}.
   */
  static Database database(Settings settings) {
    Optional<String> url = settings.databaseUrl();
    // Checked with H2 too: a bad value fails at once, not when DATABASE_URL is set later.
    String schema = settings.databaseSchema();
    if (url.isPresent()) {
      String user = settings.databaseUser().orElse(null);
      String password = settings.databasePassword().orElse(null);
      try {
        return Database.connect(url.get(), user, password, schema);
      } catch (UsageException e) {
        throw configurationFailure(e, "DATABASE_URL");
      }
    }
    Path dataDir = settings.dataDir();
    try {
      return Database.embedded(dataDir);
    } catch (UsageException e) {
      throw configurationFailure(e, "DATA_DIR");
    }
  }

  /**
   * A database that cannot be opened because of what the configuration names (no server there, no
   * such database, refused credentials, an unusable folder) is bad configuration: one line naming
   * the variable, exit 2. Anything else (a failed migration, say) stays a failure.
   */
  static RuntimeException configurationFailure(UsageException e, String variable) {
    String message =
        e.getMessage() == null
            ? "cannot open the database"
            : e.getMessage().lines().findFirst().orElse("");
    if (e.code() == ErrorCode.INVALID_REQUEST) {
      return new ConfigException(
          message.startsWith(variable) ? message : variable + ": " + message);
    }
    for (Throwable cause = e.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("28")) {
          return new ConfigException(
              "DATABASE_USER/DATABASE_PASSWORD refused by the database at DATABASE_URL: "
                  + message);
        }
        if (state.startsWith("08") || state.startsWith("3D")) {
          return new ConfigException(variable + ": " + message);
        }
      }
      if (cause instanceof java.net.SocketException
          || cause instanceof java.net.UnknownHostException
          || cause instanceof java.net.SocketTimeoutException
          || (cause instanceof IOException && variable.equals("DATA_DIR"))) {
        return new ConfigException(variable + ": " + message);
      }
    }
    return e;
  }

  /**
   * The product as the server runs it, from its settings: the database of {@code DATABASE_URL} (in
   * {@code DATABASE_SCHEMA}) or the embedded one in {@code DATA_DIR}, the vault of {@code
   * ENCRYPTION_KEY}, the Vapi client at {@code VAPI_BASE_URL}, {@code SYNC_INTERVAL} and {@code
   * STALE_AFTER}. A database that cannot be opened for a reason the settings name is one line
   * naming the variable (exit 2).
   */
  static VapiUsage vapiUsage(Settings settings, MeterRegistry registry, SyncListener listener) {
    VapiUsage.Builder builder =
        VapiUsage.builder()
            .encryptionKey(settings.encryptionKey())
            .databaseSchema(settings.databaseSchema())
            .vapiBaseUrl(settings.vapiBaseUrl())
            .vapiClient(Wiring::vapiClient)
            .syncInterval(settings.syncInterval())
            .staleAfter(settings.staleAfter())
            .meterRegistry(registry)
            .syncListener(listener);
    Optional<String> url = settings.databaseUrl();
    if (url.isPresent()) {
      builder.jdbcUrl(
          url.get(),
          settings.databaseUser().orElse(null),
          settings.databasePassword().orElse(null));
    } else {
      builder.embedded(settings.dataDir());
    }
    try {
      return builder.build();
    } catch (UsageException e) {
      throw configurationFailure(e, url.isPresent() ? "DATABASE_URL" : "DATA_DIR");
    }
  }

  /**
   * The Vapi client as the server uses it, at a base URL (Vapi's, or a simulator's). Its buffer
   * size is a JVM-wide setting that {@link Main#main} makes, see {@link Main#HTTP_CLIENT_BUFSIZE}.
   */
  public static VapiClient vapiClient(URI baseUri) {
    return new VapiClient(VapiClientConfig.forBaseUri(baseUri).withListings(LISTINGS));
  }
}
