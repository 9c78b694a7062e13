package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;

/** A refused attempt, with when the caller may try again (sent as {@code Retry-After}). */
final class RateLimitedException extends UsageException {
  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  RateLimitedException(long retryAfterSeconds) {
    super(
        ErrorCode.RATE_LIMITED,
        "Too many attempts; try again in " + retryAfterSeconds + " seconds");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
