package dev.vapiusage.application;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.util.Objects;

/**
 * A webhook request refused as {@code invalid_signature}, with why, so rejections can be counted by
 * reason. Neither the message nor the reason tells which credential was expected.
 */
public final class InvalidSignatureException extends UsageException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    /** No credential, or none that matches the webhook secret (or no secret was made yet). */
    INVALID_SIGNATURE,
    /** A correct signature whose {@code x-timestamp} is more than 5 minutes off the clock. */
    STALE_TIMESTAMP
  }

  private final Reason reason;

  InvalidSignatureException(Reason reason) {
    super(
        ErrorCode.INVALID_SIGNATURE,
        Objects.requireNonNull(reason, "reason") == Reason.STALE_TIMESTAMP
            ? "The x-timestamp header is more than 5 minutes away from the server's clock"
            : "The request carries no valid webhook credential");
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
