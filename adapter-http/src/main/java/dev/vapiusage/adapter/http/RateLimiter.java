package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UserId;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per authenticated user: {@code perMinute} attempts at once, refilled evenly over
 * a minute. Keyed on the user, never on a client-supplied address header, so it cannot be dodged
 * by forging {@code X-Forwarded-For}. Thread-safe.
 */
final class RateLimiter {
  static final int DEFAULT_PER_MINUTE = 10;
  private static final int MAX_TRACKED = 10_000;
  private static final double MINUTE_MILLIS = 60_000.0;

  private final int perMinute;
  private final Clock clock;
  private final Map<UserId, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("A rate limit allows at least one attempt per minute");
    }
    this.perMinute = perMinute;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Takes one attempt for the user, or fails with {@code 429 rate_limited}. */
  void acquire(UserId userId) {
    long now = clock.millis();
    if (buckets.size() >= MAX_TRACKED) {
      // Full buckets carry no information, so forgetting them is free.
      buckets.values().removeIf(b -> b.isFull(now));
    }
    long waitMillis = buckets.computeIfAbsent(userId, id -> new Bucket(perMinute, now)).take(now);
    if (waitMillis > 0) {
      throw new RateLimitedException(Math.max(1, (waitMillis + 999) / 1000));
    }
  }

  private static final class Bucket {
    private final int capacity;
    private double tokens;
    private long refilledAt;

    Bucket(int capacity, long now) {
      this.capacity = capacity;
      this.tokens = capacity;
      this.refilledAt = now;
    }

    /** Takes a token and answers 0, or answers how many milliseconds until one is back. */
    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) * MINUTE_MILLIS / capacity);
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= capacity;
    }

    private void refill(long now) {
      if (now > refilledAt) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * capacity / MINUTE_MILLIS);
        refilledAt = now;
      }
    }
  }
}
