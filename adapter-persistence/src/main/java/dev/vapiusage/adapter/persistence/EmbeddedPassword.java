package dev.vapiusage.adapter.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The embedded database's password: random per installation, kept in a file only its owner can
 * read, because H2's AUTO_SERVER mode listens on a TCP port and should not open with an empty one.
 */
final class EmbeddedPassword {
  private EmbeddedPassword() {}

  static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    Path draft = Files.createTempFile(file.getParent(), ".vapi-usage", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system (Windows): the folder's own permissions apply.
      }
      Files.writeString(draft, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
      // A hard link is created atomically and never replaces a file: when two processes start at
      // once, both use the first one's password.
      try {
        Files.createLink(file, draft);
      } catch (UnsupportedOperationException e) {
        Files.move(draft, file);
      }
    } catch (FileAlreadyExistsException e) {
      // Another process won the race; use its password.
    } finally {
      Files.deleteIfExists(draft);
    }
    return read(file);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII).strip();
  }
}
