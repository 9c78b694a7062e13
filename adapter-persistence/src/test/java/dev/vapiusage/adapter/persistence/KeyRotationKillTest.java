package dev.vapiusage.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * rotate-key in another process, killed with SIGKILL part-way and run again: nothing is lost, and
 * the second run finishes the work.
 */
class KeyRotationKillTest {
  private static final int KEYS = 1_000;

  @Test
  void givenEmbeddedH2_killedRotation_isFinishedByTheNextRun() throws Exception {
    Path folder = TestDatabases.temporaryFolder("vapi-usage-kill-");
    Supplier<Database> open = () -> Database.embedded(folder, TestDatabases.FAST);
    killAndFinish(open, List.of("h2", folder.toString()));
  }

  @Test
  void givenPostgres_killedRotation_isFinishedByTheNextRun() throws Exception {
    PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
    Supplier<Database> open =
        () ->
            Database.connect(
                target.jdbcUrl(),
                target.user(),
                target.password(),
                target.schema(),
                TestDatabases.FAST);
    List<String> args =
        new ArrayList<>(
            List.of(
                "postgresql", target.jdbcUrl(), String.valueOf(target.user()), target.schema()));
    killAndFinish(open, args);
  }

  private static void killAndFinish(Supplier<Database> open, List<String> processArgs)
      throws Exception {
    Map<UserId, ApiKey> keys;
    KeyVault oldVault;
    // The database is closed while the other process runs: for H2 it then owns the files, and
    // the kill is a crash of the process writing them.
    try (Database database = open.get()) {
      keys = KeyRotationTests.connectUsers(database, KeyRotationTests.OLD, KEYS, new Random(3));
      oldVault = database.keyVault(KeyRotationTests.OLD);
    }
    int killAfter = 200 + new Random().nextInt(500);
    int seen = runAndKill(processArgs, killAfter);
    assertThat(seen).isGreaterThanOrEqualTo(killAfter).isLessThan(KEYS);

    try (Database database = open.get()) {
      int left = KeyRotationTests.countOnOldKey(database, oldVault);
      assertThat(left)
          .as("keys still on the old secret after the kill")
          .isBetween(1, KEYS - killAfter);
      KeyRotation finish = database.rotateKey(KeyRotationTests.OLD, KeyRotationTests.NEW);
      assertThat(finish).isEqualTo(new KeyRotation(left, KEYS));
      KeyRotationTests.assertRotated(database, keys, oldVault);
    }
  }

  /**
   * Starts the rotation process, kills it after it reported {@code killAfter} keys; returns the
   * last seen.
   */
  private static int runAndKill(List<String> processArgs, int killAfter) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RotateKeyProcess.class.getName());
    command.addAll(processArgs);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int last = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("resealed ")) {
          last = Integer.parseInt(line.substring("resealed ".length()));
          if (last >= killAfter) {
            process.destroyForcibly();
            break;
          }
        }
      }
    } finally {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    return last;
  }
}
