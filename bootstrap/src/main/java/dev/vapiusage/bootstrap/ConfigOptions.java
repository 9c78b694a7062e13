package dev.vapiusage.bootstrap;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of {@code serve} (and of the jar without a command). The other commands mix in only
 * the groups they honour. An option not given takes its variable's value ({@code ${env:…}}, read by
 * {@link EnvironmentDefaults}); the contract's defaults and checks are {@link Settings}'. No option
 * carries a secret: {@code ps} shows a process's arguments to every user of the machine, so secrets
 * come from the environment or from a file.
 */
final class ConfigOptions {
  @Mixin EncryptionKeyOptions encryptionKey = new EncryptionKeyOptions();
  @Mixin DatabaseOptions database = new DatabaseOptions();
  @Mixin ListenOptions listen = new ListenOptions();
  @Mixin VapiOptions vapi = new VapiOptions();
  @Mixin SyncOptions sync = new SyncOptions();

  /**
   * Every setting from {@code env} alone, for a command that takes only some groups as options: it
   * sets its own groups over these.
   */
  static ConfigOptions fromEnvironment(Map<String, String> env) {
    ConfigOptions options = new ConfigOptions();
    EnvironmentDefaults.apply(new CommandLine(options), env).parseArgs();
    return options;
  }

  /**
   * ENCRYPTION_KEY, from a file. The option has no variable default: where the file was named
   * matters, for the message when it cannot be read and for the rule against a secret's variable
   * and its _FILE variable both set.
   */
  static final class EncryptionKeyOptions {
    @Option(
        names = "--encryption-key-file",
        paramLabel = "FILE",
        description =
            "ENCRYPTION_KEY_FILE: file holding ENCRYPTION_KEY, the master secret for stored Vapi keys (≥ 32 characters; a trailing newline is dropped). Or set ENCRYPTION_KEY.")
    String encryptionKeyFile;
  }

  /** Where the data lives: PostgreSQL, or the embedded database's folder. */
  static final class DatabaseOptions {
    @Option(
        names = "--database-url",
        defaultValue = "${env:DATABASE_URL}",
        paramLabel = "JDBC_URL",
        description = "DATABASE_URL: PostgreSQL JDBC URL; unset = embedded H2 in DATA_DIR")
    String databaseUrl;

    @Option(
        names = "--database-schema",
        defaultValue = "${env:DATABASE_SCHEMA}",
        paramLabel = "SCHEMA",
        description =
            "DATABASE_SCHEMA: PostgreSQL schema for everything vapi-usage creates (default vapi_usage)")
    String databaseSchema;

    @Option(
        names = "--database-user",
        defaultValue = "${env:DATABASE_USER}",
        paramLabel = "USER",
        description = "DATABASE_USER")
    String databaseUser;

    /** No variable default, as for {@link EncryptionKeyOptions}. */
    @Option(
        names = "--database-password-file",
        paramLabel = "FILE",
        description =
            "DATABASE_PASSWORD_FILE: file holding DATABASE_PASSWORD (a trailing newline is dropped). Or set DATABASE_PASSWORD.")
    String databasePasswordFile;

    @Option(
        names = "--data-dir",
        defaultValue = "${env:DATA_DIR}",
        paramLabel = "DIR",
        description = "DATA_DIR: folder of the embedded database (default ./data)")
    String dataDir;
  }

  /** Where the server listens and which host names it answers to. */
  static final class ListenOptions {
    @Option(
        names = "--host",
        defaultValue = "${env:HOST}",
        description = "HOST: address to listen on (default 127.0.0.1)")
    String host;

    @Option(
        names = "--port",
        defaultValue = "${env:PORT}",
        description = "PORT: port to listen on (default 7070)")
    String port;

    @Option(
        names = "--allowed-hosts",
        defaultValue = "${env:ALLOWED_HOSTS}",
        paramLabel = "NAMES",
        description =
            "ALLOWED_HOSTS: comma-separated host names the server answers to, * = any (default: HOST, plus localhost, 127.0.0.1 and [::1] on loopback; any name when HOST is 0.0.0.0 or ::)")
    String allowedHosts;
  }

  /** The Vapi API. */
  static final class VapiOptions {
    @Option(
        names = "--vapi-base-url",
        defaultValue = "${env:VAPI_BASE_URL}",
        paramLabel = "URL",
        description = "VAPI_BASE_URL (default https://api.vapi.ai)")
    String vapiBaseUrl;
  }

  /** When the server syncs by itself. */
  static final class SyncOptions {
    @Option(
        names = "--sync-interval",
        defaultValue = "${env:SYNC_INTERVAL}",
        paramLabel = "DURATION",
        description = "SYNC_INTERVAL: background sync period, e.g. 15m, 1h, 0 = off (default 15m)")
    String syncInterval;

    @Option(
        names = "--stale-after",
        defaultValue = "${env:STALE_AFTER}",
        paramLabel = "DURATION",
        description =
            "STALE_AFTER: a dashboard view older than this syncs first, 0 = never (default 5m)")
    String staleAfter;
  }
}
