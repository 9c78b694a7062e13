package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SettingsTest {
  /** The settings of {@code serve} run with {@code args} in the environment {@code env}. */
  private static Settings settings(Map<String, String> env, String... args) {
    ServeCommand serve = new ServeCommand();
    EnvironmentDefaults.apply(new CommandLine(serve), env).parseArgs(args);
    return new Settings(env, serve.options);
  }

  private static Settings env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return settings(env);
  }

  private static Settings options(String... args) {
    return settings(Map.of(), args);
  }

  @Test
  void defaults_areTheContracts() {
    Settings settings = env();
    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(7070);
    assertThat(settings.vapiBaseUrl().toString()).isEqualTo("https://api.vapi.ai");
    assertThat(settings.syncInterval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.staleAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.databaseUrl()).isEmpty();
    assertThat(settings.dataDir().toString()).endsWith("data");
  }

  @Test
  void anOption_winsOverItsVariable() {
    Settings settings = settings(Map.of("PORT", "8080"), "--port", "9090");
    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings(Map.of("SYNC_INTERVAL", "soon"), "--sync-interval", "1h").syncInterval())
        .as("a bad variable under a good option is never read")
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void withoutItsOption_aSettingTakesItsVariable() {
    assertThat(env("PORT", "8080").port()).isEqualTo(8080);
    assertThat(env("HOST", "::1").allowedHosts()).contains("[::1]");
    assertThat(env("STALE_AFTER", "2h").staleAfter()).isEqualTo(Duration.ofHours(2));
    assertThat(env("DATABASE_URL", "jdbc:h2:mem:x").databaseUrl()).contains("jdbc:h2:mem:x");
  }

  @Test
  void aVariablesValue_isTakenVerbatim() {
    String url = "jdbc:h2:mem:a$$b${HOME}";
    assertThat(env("DATABASE_URL", url).databaseUrl()).contains(url);
  }

  @Test
  void anOptionOfACommandWithoutIt_comesFromItsVariable() {
    assertThat(
            new Settings(Map.of(), ConfigOptions.fromEnvironment(Map.of("STALE_AFTER", "1m")))
                .staleAfter())
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aBlankVariableOrOption_isUnset() {
    assertThat(env("PORT", " ").port()).isEqualTo(7070);
    assertThat(env("SYNC_INTERVAL", "").syncInterval()).isEqualTo(Duration.ofMinutes(15));
    assertThat(env("DATABASE_URL", "").databaseUrl()).isEmpty();
    assertThat(options("--port", "").port()).isEqualTo(7070);
  }

  @Test
  void durations_takeTheContractsForms() {
    assertThat(env("SYNC_INTERVAL", "1h").syncInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(env("SYNC_INTERVAL", "0").syncInterval()).isEqualTo(Duration.ZERO);
    assertThat(env("STALE_AFTER", "30s").staleAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> env("SYNC_INTERVAL", "soon").syncInterval())
        .hasMessageStartingWith("SYNC_INTERVAL");
    assertThatThrownBy(() -> env("STALE_AFTER", "15").staleAfter())
        .hasMessageStartingWith("STALE_AFTER");
  }

  @Test
  void aBadDuration_namesItsVariable_fromTheVariableOrTheOption() {
    assertThatThrownBy(() -> env("SYNC_INTERVAL", "soon").syncInterval())
        .isInstanceOf(ConfigException.class)
        .hasMessage("SYNC_INTERVAL is not a duration such as 30s, 15m, 1h or 0");
    assertThatThrownBy(() -> options("--sync-interval", "soon").syncInterval())
        .hasMessage("SYNC_INTERVAL is not a duration such as 30s, 15m, 1h or 0");
    assertThatThrownBy(() -> options("--stale-after", "15").staleAfter())
        .hasMessage("STALE_AFTER needs a unit (s, m, h or d), e.g. 15m");
  }

  @Test
  void badValues_nameTheirVariableInOneLine() {
    assertThatThrownBy(() -> env().encryptionKey())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ENCRYPTION_KEY");
    assertThatThrownBy(() -> env("ENCRYPTION_KEY", "s3cr3t-value").encryptionKey())
        .hasMessageStartingWith("ENCRYPTION_KEY")
        .hasMessageNotContaining("s3cr3t-value");
    assertThatThrownBy(() -> env("PORT", "70000").port()).hasMessageStartingWith("PORT");
    assertThatThrownBy(() -> env("PORT", "http").port()).hasMessageStartingWith("PORT");
    assertThatThrownBy(() -> env("VAPI_BASE_URL", "not a url").vapiBaseUrl())
        .hasMessageStartingWith("VAPI_BASE_URL");
    assertThatThrownBy(() -> env("DATABASE_URL", "postgres://x").databaseUrl())
        .hasMessageStartingWith("DATABASE_URL");
    assertThat(env("ENCRYPTION_KEY", "x".repeat(32)).encryptionKey()).hasSize(32);
  }

  @Test
  void databaseSchema_isAPlainIdentifier_defaultVapiUsage() {
    assertThat(env().databaseSchema()).isEqualTo("vapi_usage");
    assertThat(env("DATABASE_SCHEMA", "billing_usage").databaseSchema()).isEqualTo("billing_usage");
    assertThat(settings(Map.of("DATABASE_SCHEMA", "a"), "--database-schema", "b").databaseSchema())
        .isEqualTo("b");
    for (String bad :
        new String[] {"Vapi", "vapi-usage", "1st", "x; DROP TABLE users", "pg_usage"}) {
      assertThatThrownBy(() -> env("DATABASE_SCHEMA", bad).databaseSchema())
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("DATABASE_SCHEMA")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void secrets_comeFromTheirVariableOrAFile_withoutTheTrailingNewline(@TempDir Path dir)
      throws Exception {
    String key = "k".repeat(40);
    Path lf = Files.writeString(dir.resolve("key-lf"), key + "\n");
    Path crlf = Files.writeString(dir.resolve("key-crlf"), key + "\r\n");
    assertThat(env("ENCRYPTION_KEY", key).encryptionKey()).isEqualTo(key);
    assertThat(env("ENCRYPTION_KEY_FILE", lf.toString()).encryptionKey()).isEqualTo(key);
    assertThat(options("--encryption-key-file", crlf.toString()).encryptionKey()).isEqualTo(key);
    assertThat(env("OLD_ENCRYPTION_KEY_FILE", lf.toString()).oldEncryptionKey(null)).isEqualTo(key);
    assertThat(options().oldEncryptionKey(crlf.toString())).isEqualTo(key);
    Path password = Files.writeString(dir.resolve("pw"), "pa ss\n");
    assertThat(env("DATABASE_PASSWORD_FILE", password.toString()).databasePassword())
        .contains("pa ss");
    assertThat(env("DATABASE_PASSWORD", "direct").databasePassword()).contains("direct");
  }

  @Test
  void aSecretFileOption_winsOverTheEnvironment(@TempDir Path dir) throws Exception {
    String fromFile = "f".repeat(40);
    Path file = Files.writeString(dir.resolve("key"), fromFile);
    Settings settings =
        settings(
            Map.of("ENCRYPTION_KEY", "e".repeat(40)), "--encryption-key-file", file.toString());
    assertThat(settings.encryptionKey()).isEqualTo(fromFile);
  }

  @Test
  void anUnreadableSecretFile_isOneLineNamingWhereItCameFrom(@TempDir Path dir) {
    String missing = dir.resolve("nope").toString();
    assertThatThrownBy(() -> options("--encryption-key-file", missing).encryptionKey())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--encryption-key-file")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> env("ENCRYPTION_KEY_FILE", missing).encryptionKey())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("ENCRYPTION_KEY_FILE");
    assertThatThrownBy(() -> options("--database-password-file", dir.toString()).databasePassword())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--database-password-file");
    assertThatThrownBy(
            () ->
                env("ENCRYPTION_KEY", "e".repeat(40), "ENCRYPTION_KEY_FILE", missing)
                    .encryptionKey())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("both set");
  }

  @Test
  void aMissingKey_pointsToTheFileOptionToo() {
    assertThatThrownBy(() -> env().oldEncryptionKey(null))
        .hasMessageStartingWith("OLD_ENCRYPTION_KEY is not set")
        .hasMessageContaining("--old-encryption-key-file");
  }
}
