package dev.vapiusage.adapter.persistence;

import java.nio.file.Path;

/**
 * A separate process for {@link KeyRotationKillTest}: runs rotate-key on a database given by its
 * arguments ({@code h2 <folder>} or {@code postgresql <url> <user> <schema>}) and prints each
 * committed key, slowly enough for the test to kill it part-way.
 */
final class RotateKeyProcess {
  private RotateKeyProcess() {}

  public static void main(String[] args) throws Exception {
    try (Database database =
        args[0].equals("h2")
            ? Database.embedded(Path.of(args[1]), TestDatabases.FAST)
            : Database.connect(args[1], args[2], null, args[3], TestDatabases.FAST)) {
      database.rotateKey(
          KeyRotationTests.OLD,
          KeyRotationTests.NEW,
          resealed -> {
            System.out.println("resealed " + resealed);
            System.out.flush();
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      System.out.println("finished");
    }
  }
}
