package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.util.Objects;

/**
 * A master secret ({@code ENCRYPTION_KEY} or {@code OLD_ENCRYPTION_KEY}) that cannot be used:
 * missing, too short, or not the one the stored Vapi keys were sealed with. Its one-line message
 * names the variable and never contains the secret; a server stops start-up on it (exit code 2).
 */
public final class EncryptionKeyException extends UsageException {
  private static final long serialVersionUID = 1L;

  /** Why the secret was refused. */
  public enum Reason {
    /** Not set, or shorter than {@value KeyVaultOpening#MIN_SECRET_LENGTH} characters. */
    TOO_SHORT,
    /** Not the secret the stored keys were sealed with. */
    WRONG_KEY,
    /** A rotate-key is half done and must be finished (or was started towards another secret). */
    ROTATION_UNFINISHED,
    /** rotate-key was given the same secret twice. */
    SAME_KEY
  }

  private final Reason reason;

  EncryptionKeyException(Reason reason, String message) {
    super(ErrorCode.INVALID_REQUEST, message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
