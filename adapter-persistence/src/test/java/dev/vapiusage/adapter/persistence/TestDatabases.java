package dev.vapiusage.adapter.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Databases for this module's tests. Contract tests use unique ids instead of clean-up, so one
 * schema per test run serves them all; tests of global state (the key vault) open a fresh one.
 * Master keys in tests use few PBKDF2 iterations to keep the run short; one test checks the
 * production default.
 */
final class TestDatabases {
  static final Database.Settings FAST = new Database.Settings(1_000, true);
  static final Database.Settings FAST_RAW_SUMS = new Database.Settings(1_000, false);

  private static Database sharedPostgres;
  private static Database sharedPostgresRaw;
  private static Database sharedH2;

  private TestDatabases() {}

  /** One PostgreSQL schema shared by every contract test of the run; never closed before exit. */
  static synchronized Database sharedPostgres() {
    if (sharedPostgres == null) {
      sharedPostgres = PostgresTestDatabase.openFresh(FAST);
    }
    return sharedPostgres;
  }

  /** The shared PostgreSQL schema again, through a repository that always sums calls directly. */
  static synchronized Database sharedPostgresWithoutRollups() {
    if (sharedPostgresRaw == null) {
      sharedPostgresRaw = PostgresTestDatabase.openFresh(FAST_RAW_SUMS);
    }
    return sharedPostgresRaw;
  }

  /** One embedded H2 database in a temporary folder, shared by the contract tests of the run. */
  static synchronized Database sharedH2() {
    if (sharedH2 == null) {
      sharedH2 = Database.embedded(temporaryFolder("vapi-usage-h2-"), FAST);
    }
    return sharedH2;
  }

  static Database freshH2() {
    return Database.embedded(temporaryFolder("vapi-usage-h2-"), FAST);
  }

  static Path temporaryFolder(String prefix) {
    try {
      Path folder = Files.createTempDirectory(prefix);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> deleteTree(folder), "delete-" + folder.getFileName()));
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path folder) {
    try (var paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Best effort at exit.
    }
  }
}
