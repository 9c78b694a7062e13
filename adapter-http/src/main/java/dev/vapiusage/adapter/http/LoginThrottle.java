package dev.vapiusage.adapter.http;

import java.time.Clock;
import java.util.Objects;

/**
 * Limits failed sign-ins on {@code POST /login}, per client address and per token prefix. Both
 * limits are checked before the token is, so a refused guess learns nothing; only failures count,
 * so a user who signs in is never slowed down by their own successes. One address runs out of
 * attempts long before a prefix does, so one client cannot lock a prefix (someone else's token) out
 * by itself.
 */
final class LoginThrottle {
  static final int FAILURES_PER_ADDRESS_PER_MINUTE = 10;
  static final int FAILURES_PER_PREFIX_PER_MINUTE = 30;

  /** {@code vu_} and the first eight random characters: enough to tell tokens apart. */
  private static final int PREFIX_LENGTH = 11;

  private final RateLimiter<String> byAddress;
  private final RateLimiter<String> byPrefix;

  LoginThrottle(Clock clock) {
    this(FAILURES_PER_ADDRESS_PER_MINUTE, FAILURES_PER_PREFIX_PER_MINUTE, clock);
  }

  LoginThrottle(int perAddress, int perPrefix, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    this.byAddress = new RateLimiter<>(perAddress, clock);
    this.byPrefix = new RateLimiter<>(perPrefix, clock);
  }

  /**
   * Fails with {@code 429 rate_limited} when this address or this token's prefix is out of
   * attempts.
   */
  void check(String address, String token) {
    byAddress.check(address);
    byPrefix.check(prefix(token));
  }

  void failed(String address, String token) {
    byAddress.record(address);
    byPrefix.record(prefix(token));
  }

  private static String prefix(String token) {
    if (token == null) {
      return "";
    }
    String trimmed = token.strip();
    return trimmed.length() <= PREFIX_LENGTH ? trimmed : trimmed.substring(0, PREFIX_LENGTH);
  }
}
