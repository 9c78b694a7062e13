package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.persistence.KeyRotation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Re-seals every stored Vapi key from OLD_ENCRYPTION_KEY to ENCRYPTION_KEY. */
@Command(
    name = "rotate-key",
    mixinStandardHelpOptions = true,
    description =
        "Re-encrypt every stored Vapi key from OLD_ENCRYPTION_KEY to ENCRYPTION_KEY (safe to re-run after an interruption).")
final class RotateKeyCommand implements Callable<Integer> {
  @Mixin ConfigOptions.EncryptionKeyOptions encryptionKey;
  @Mixin ConfigOptions.DatabaseOptions database;

  @Option(
      names = "--old-encryption-key-file",
      paramLabel = "FILE",
      description =
          "OLD_ENCRYPTION_KEY_FILE: file holding OLD_ENCRYPTION_KEY, the secret the keys are sealed with now (a trailing newline is dropped). Or set OLD_ENCRYPTION_KEY.")
  String oldEncryptionKeyFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings =
        Wiring.settings(
            options -> {
              options.encryptionKey = encryptionKey;
              options.database = database;
            });
    String newKey = settings.encryptionKey();
    String oldKey = settings.oldEncryptionKey(oldEncryptionKeyFile);
    try (Database database = Wiring.database(settings)) {
      KeyRotation rotation = database.rotateKey(oldKey, newKey);
      spec.commandLine()
          .getOut()
          .println(
              "Re-sealed "
                  + rotation.resealed()
                  + " Vapi keys; "
                  + rotation.onNewKey()
                  + " keys are on the new ENCRYPTION_KEY.");
      spec.commandLine().getOut().flush();
    }
    return Main.OK;
  }
}
