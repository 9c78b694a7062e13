package dev.vapiusage.bootstrap;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration options every command accepts; each means the same as its variable. */
final class ConfigOptions {
  @Option(names = "--encryption-key", paramLabel = "SECRET", description = "ENCRYPTION_KEY: master secret for stored Vapi keys (≥ 32 characters)")
  String encryptionKey;

  @Option(names = "--database-url", paramLabel = "JDBC_URL", description = "DATABASE_URL: PostgreSQL JDBC URL; unset = embedded H2 in DATA_DIR")
  String databaseUrl;

  @Option(names = "--database-schema", paramLabel = "SCHEMA", description = "DATABASE_SCHEMA: PostgreSQL schema for everything vapi-usage creates (default vapi_usage)")
  String databaseSchema;

  @Option(names = "--database-user", paramLabel = "USER", description = "DATABASE_USER")
  String databaseUser;

  @Option(names = "--database-password", paramLabel = "PASSWORD", description = "DATABASE_PASSWORD")
  String databasePassword;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "DATA_DIR: folder of the embedded database (default ./data)")
  String dataDir;

  @Option(names = "--host", description = "HOST: address to listen on (default 127.0.0.1)")
  String host;

  @Option(names = "--allowed-hosts", paramLabel = "NAMES", description = "ALLOWED_HOSTS: comma-separated host names the server answers to, * = any (default: HOST, plus localhost, 127.0.0.1 and [::1] on loopback; any name when HOST is 0.0.0.0 or ::)")
  String allowedHosts;

  @Option(names = "--port", description = "PORT: port to listen on (default 7070)")
  String port;

  @Option(names = "--vapi-base-url", paramLabel = "URL", description = "VAPI_BASE_URL (default https://api.vapi.ai)")
  String vapiBaseUrl;

  @Option(names = "--sync-interval", paramLabel = "DURATION", description = "SYNC_INTERVAL: background sync period, e.g. 15m, 1h, 0 = off (default 15m)")
  String syncInterval;

  @Option(names = "--stale-after", paramLabel = "DURATION", description = "STALE_AFTER: a dashboard view older than this syncs first, 0 = never (default 5m)")
  String staleAfter;

  Map<String, String> asVariables() {
    Map<String, String> values = new HashMap<>();
    put(values, "ENCRYPTION_KEY", encryptionKey);
    put(values, "DATABASE_URL", databaseUrl);
    put(values, "DATABASE_SCHEMA", databaseSchema);
    put(values, "DATABASE_USER", databaseUser);
    put(values, "DATABASE_PASSWORD", databasePassword);
    put(values, "DATA_DIR", dataDir);
    put(values, "HOST", host);
    put(values, "PORT", port);
    put(values, "ALLOWED_HOSTS", allowedHosts);
    put(values, "VAPI_BASE_URL", vapiBaseUrl);
    put(values, "SYNC_INTERVAL", syncInterval);
    put(values, "STALE_AFTER", staleAfter);
    return values;
  }

  private static void put(Map<String, String> values, String variable, String value) {
    if (value != null) {
      values.put(variable, value);
    }
  }
}
