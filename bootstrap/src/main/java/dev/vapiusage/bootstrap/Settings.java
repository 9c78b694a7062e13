package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.persistence.Database;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract's configuration (§2), checked here, once, with one clear line naming the variable
 * when a value is bad. The values come from {@link ConfigOptions}, where picocli has already let an
 * option win over its variable; a blank value counts as unset. Secrets (ENCRYPTION_KEY,
 * OLD_ENCRYPTION_KEY, DATABASE_PASSWORD) have no option, since {@code ps} shows a process's
 * arguments: they come from their variable, or from the file named by {@code --<name>-file} or
 * {@code <NAME>_FILE}.
 */
final class Settings {
  static final int MIN_ENCRYPTION_KEY_LENGTH = 32;

  /** Addresses that mean "every interface": no name a browser or a Host header would use. */
  static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]");

  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

  private final Map<String, String> env;
  private final ConfigOptions options;

  /** {@code env}: where the secrets are read, the process's environment outside tests. */
  Settings(Map<String, String> env, ConfigOptions options) {
    this.env = env;
    this.options = options;
  }

  private static Optional<String> given(String value) {
    return Optional.ofNullable(value).filter(Settings::present);
  }

  /**
   * A secret: the file named by its option {@code --<variable>-file}, else the variable itself,
   * else the file named by {@code <VARIABLE>_FILE}; the variable and its file variable together are
   * ambiguous. A file's trailing newline is dropped.
   */
  private Optional<String> secret(String variable, String optionFile) {
    String fileVariable = variable + "_FILE";
    if (present(optionFile)) {
      return Optional.of(readSecretFile(optionName(fileVariable), optionFile));
    }
    String value = env.get(variable);
    String envFile = env.get(fileVariable);
    if (present(value) && present(envFile)) {
      throw new ConfigException(
          variable + " and " + fileVariable + " are both set: set only one of them");
    }
    if (present(envFile)) {
      return Optional.of(readSecretFile(fileVariable, envFile));
    }
    return given(value);
  }

  /** The command-line option of a variable: DATA_DIR is --data-dir. */
  static String optionName(String variable) {
    return "--" + variable.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static String readSecretFile(String source, String file) {
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(source + ": no such file " + file);
    } catch (AccessDeniedException e) {
      throw new ConfigException(source + ": cannot read " + file + " (permission denied)");
    } catch (CharacterCodingException e) {
      throw new ConfigException(source + ": " + file + " is not UTF-8 text");
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          source + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  String encryptionKey() {
    return encryptionKey("ENCRYPTION_KEY", options.encryptionKey.encryptionKeyFile);
  }

  /** {@code optionFile}: rotate-key's {@code --old-encryption-key-file}, or null. */
  String oldEncryptionKey(String optionFile) {
    return encryptionKey("OLD_ENCRYPTION_KEY", optionFile);
  }

  private String encryptionKey(String variable, String optionFile) {
    String key =
        secret(variable, optionFile)
            .orElseThrow(
                () ->
                    new ConfigException(
                        variable
                            + " is not set: give a secret of at least "
                            + MIN_ENCRYPTION_KEY_LENGTH
                            + " characters in "
                            + variable
                            + ", or a file holding it in "
                            + optionName(variable + "_FILE")
                            + " or "
                            + variable
                            + "_FILE"));
    if (key.length() < MIN_ENCRYPTION_KEY_LENGTH) {
      throw new ConfigException(
          variable
              + " is too short: it needs at least "
              + MIN_ENCRYPTION_KEY_LENGTH
              + " characters");
    }
    return key;
  }

  Optional<String> databaseUrl() {
    Optional<String> url = given(options.database.databaseUrl);
    url.ifPresent(
        u -> {
          if (!u.startsWith("jdbc:postgresql:") && !u.startsWith("jdbc:h2:")) {
            throw new ConfigException(
                "DATABASE_URL is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
          }
        });
    return url;
  }

  /** DATABASE_SCHEMA: the PostgreSQL schema holding everything the product creates. */
  String databaseSchema() {
    try {
      return Database.checkSchemaName(
          given(options.database.databaseSchema).orElse(Database.DEFAULT_SCHEMA));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  Optional<String> databaseUser() {
    return given(options.database.databaseUser);
  }

  Optional<String> databasePassword() {
    return secret("DATABASE_PASSWORD", options.database.databasePasswordFile);
  }

  Path dataDir() {
    try {
      return Path.of(given(options.database.dataDir).orElse("./data")).toAbsolutePath().normalize();
    } catch (RuntimeException e) {
      throw new ConfigException("DATA_DIR is not a valid path");
    }
  }

  String host() {
    String host = given(options.listen.host).orElse("127.0.0.1");
    if (!host.matches("[A-Za-z0-9.:\\-\\[\\]]{1,253}")) {
      throw new ConfigException("HOST is not a host name or address");
    }
    return host;
  }

  /** A host as it stands in a URL or a Host header: an IPv6 address in brackets. */
  static String bracketed(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /**
   * The names the server answers to in a request's {@code Host} header; empty means any. A server
   * on loopback answers to its loopback names by default, so a page elsewhere cannot reach it by
   * DNS rebinding; on a wildcard address the names users reach it by are unknown, so any is the
   * default there, and {@code ALLOWED_HOSTS} narrows it.
   */
  Set<String> allowedHosts() {
    Optional<String> configured = given(options.listen.allowedHosts);
    if (configured.isPresent()) {
      Set<String> names = new LinkedHashSet<>();
      for (String name : configured.get().split(",")) {
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (!trimmed.equals("*")
            && !trimmed.matches("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]")) {
          throw new ConfigException(
              "ALLOWED_HOSTS is not a comma-separated list of host names (IPv6 in brackets) or *");
        }
        names.add(trimmed);
      }
      if (names.isEmpty()) {
        throw new ConfigException("ALLOWED_HOSTS is empty: give host names, or * for any");
      }
      return names.contains("*") ? Set.of() : names;
    }
    String host = host();
    if (WILDCARD_HOSTS.contains(host)) {
      return Set.of();
    }
    Set<String> names = new LinkedHashSet<>();
    names.add(bracketed(host));
    names.addAll(LOOPBACK_NAMES);
    return names;
  }

  int port() {
    String text = given(options.listen.port).orElse("7070");
    try {
      int port = Integer.parseInt(text);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ConfigException("PORT must be a number from 0 to 65535");
    }
  }

  URI vapiBaseUrl() {
    String text = given(options.vapi.vapiBaseUrl).orElse("https://api.vapi.ai");
    try {
      URI uri = new URI(text);
      if (uri.getHost() == null
          || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        throw new URISyntaxException(text, "not an http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException("VAPI_BASE_URL is not an http(s) URL");
    }
  }

  Duration syncInterval() {
    return duration("SYNC_INTERVAL", options.sync.syncInterval, "15m");
  }

  Duration staleAfter() {
    return duration("STALE_AFTER", options.sync.staleAfter, "5m");
  }

  private static Duration duration(String variable, String value, String fallback) {
    String text = given(value).orElse(fallback).strip().toLowerCase(Locale.ROOT);
    Matcher matcher = DURATION.matcher(text);
    if (!matcher.matches()) {
      throw new ConfigException(variable + " is not a duration such as 30s, 15m, 1h or 0");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2);
    if (unit == null) {
      if (amount != 0) {
        throw new ConfigException(variable + " needs a unit (s, m, h or d), e.g. 15m");
      }
      return Duration.ZERO;
    }
    switch (unit) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      default:
        return Duration.ofDays(amount);
    }
  }
}
