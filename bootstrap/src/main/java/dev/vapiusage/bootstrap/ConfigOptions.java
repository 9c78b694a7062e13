package dev.vapiusage.bootstrap;

import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of {@code serve} (and of the jar without a command). The other commands mix in only
 * the groups they honour. No option carries a secret: {@code ps} shows a process's arguments to
 * every user of the machine, so secrets come from the environment or from a file.
 */
final class ConfigOptions implements OptionGroup {
  @Mixin EncryptionKeyOptions encryptionKey;
  @Mixin DatabaseOptions database;
  @Mixin ListenOptions listen;
  @Mixin VapiOptions vapi;
  @Mixin SyncOptions sync;

  @Override
  public void addTo(Map<String, String> values) {
    for (OptionGroup group : new OptionGroup[] {encryptionKey, database, listen, vapi, sync}) {
      if (group != null) {
        group.addTo(values);
      }
    }
  }

  /** ENCRYPTION_KEY, from a file. */
  static final class EncryptionKeyOptions implements OptionGroup {
    @Option(
        names = "--encryption-key-file",
        paramLabel = "FILE",
        description =
            "ENCRYPTION_KEY_FILE: file holding ENCRYPTION_KEY, the master secret for stored Vapi keys (≥ 32 characters; a trailing newline is dropped). Or set ENCRYPTION_KEY.")
    String encryptionKeyFile;

    @Override
    public void addTo(Map<String, String> values) {
      OptionGroup.put(values, "ENCRYPTION_KEY_FILE", encryptionKeyFile);
    }
  }

  /** Where the data lives: PostgreSQL, or the embedded database's folder. */
  static final class DatabaseOptions implements OptionGroup {
    @Option(
        names = "--database-url",
        paramLabel = "JDBC_URL",
        description = "DATABASE_URL: PostgreSQL JDBC URL; unset = embedded H2 in DATA_DIR")
    String databaseUrl;

    @Option(
        names = "--database-schema",
        paramLabel = "SCHEMA",
        description =
            "DATABASE_SCHEMA: PostgreSQL schema for everything vapi-usage creates (default vapi_usage)")
    String databaseSchema;

    @Option(names = "--database-user", paramLabel = "USER", description = "DATABASE_USER")
    String databaseUser;

    @Option(
        names = "--database-password-file",
        paramLabel = "FILE",
        description =
            "DATABASE_PASSWORD_FILE: file holding DATABASE_PASSWORD (a trailing newline is dropped). Or set DATABASE_PASSWORD.")
    String databasePasswordFile;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "DATA_DIR: folder of the embedded database (default ./data)")
    String dataDir;

    @Override
    public void addTo(Map<String, String> values) {
      OptionGroup.put(values, "DATABASE_URL", databaseUrl);
      OptionGroup.put(values, "DATABASE_SCHEMA", databaseSchema);
      OptionGroup.put(values, "DATABASE_USER", databaseUser);
      OptionGroup.put(values, "DATABASE_PASSWORD_FILE", databasePasswordFile);
      OptionGroup.put(values, "DATA_DIR", dataDir);
    }
  }

  /** Where the server listens and which host names it answers to. */
  static final class ListenOptions implements OptionGroup {
    @Option(names = "--host", description = "HOST: address to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--port", description = "PORT: port to listen on (default 7070)")
    String port;

    @Option(
        names = "--allowed-hosts",
        paramLabel = "NAMES",
        description =
            "ALLOWED_HOSTS: comma-separated host names the server answers to, * = any (default: HOST, plus localhost, 127.0.0.1 and [::1] on loopback; any name when HOST is 0.0.0.0 or ::)")
    String allowedHosts;

    @Override
    public void addTo(Map<String, String> values) {
      OptionGroup.put(values, "HOST", host);
      OptionGroup.put(values, "PORT", port);
      OptionGroup.put(values, "ALLOWED_HOSTS", allowedHosts);
    }
  }

  /** The Vapi API. */
  static final class VapiOptions implements OptionGroup {
    @Option(
        names = "--vapi-base-url",
        paramLabel = "URL",
        description = "VAPI_BASE_URL (default https://api.vapi.ai)")
    String vapiBaseUrl;

    @Override
    public void addTo(Map<String, String> values) {
      OptionGroup.put(values, "VAPI_BASE_URL", vapiBaseUrl);
    }
  }

  /** When the server syncs by itself. */
  static final class SyncOptions implements OptionGroup {
    @Option(
        names = "--sync-interval",
        paramLabel = "DURATION",
        description = "SYNC_INTERVAL: background sync period, e.g. 15m, 1h, 0 = off (default 15m)")
    String syncInterval;

    @Option(
        names = "--stale-after",
        paramLabel = "DURATION",
        description =
            "STALE_AFTER: a dashboard view older than this syncs first, 0 = never (default 5m)")
    String staleAfter;

    @Override
    public void addTo(Map<String, String> values) {
      OptionGroup.put(values, "SYNC_INTERVAL", syncInterval);
      OptionGroup.put(values, "STALE_AFTER", staleAfter);
    }
  }
}
