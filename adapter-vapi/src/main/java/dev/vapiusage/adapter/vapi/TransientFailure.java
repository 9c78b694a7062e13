package dev.vapiusage.adapter.vapi;

import java.time.Duration;

/**
 * A failed attempt worth another try (429, 408, 5xx, a timeout, a broken or truncated body),
 * carrying what the retry needs: the server's {@code Retry-After} and the end of the request's
 * retry budget. Checked, so that it never escapes the client.
 */
final class TransientFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;
  private final long budgetEndNanos;

  TransientFailure(String detail, Duration retryAfter, long budgetEndNanos, Throwable cause) {
    super(detail, cause, false, false);
    this.retryAfter = retryAfter;
    this.budgetEndNanos = budgetEndNanos;
  }

  /** The server's minimum wait, zero when it named none. */
  Duration retryAfter() {
    return retryAfter == null ? Duration.ZERO : retryAfter;
  }

  /** Whether another attempt can start, after the server's minimum wait, within the budget. */
  boolean retryFitsBudget() {
    return System.nanoTime() + retryAfter().toNanos() < budgetEndNanos;
  }

  /**
   * How long to wait before the next attempt: the backoff, never less than {@code Retry-After}, and
   * cut so that the next attempt still starts inside the budget.
   */
  long waitMillis(long backoffMillis) {
    long floor = ceilMillis(retryAfter().toNanos());
    long wait = Math.max(floor, backoffMillis);
    long left = Math.max(0, (budgetEndNanos - System.nanoTime()) / 1_000_000 - 1);
    return Math.max(floor, Math.min(wait, left));
  }

  private static long ceilMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }
}
