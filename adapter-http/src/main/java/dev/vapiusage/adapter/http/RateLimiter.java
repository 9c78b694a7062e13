package dev.vapiusage.adapter.http;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key: {@code perMinute} attempts at once, refilled evenly over a minute. Keys
 * are what the server knows for itself (an authenticated user, the connection's peer address, a
 * token's prefix), never a client-supplied address header, so a limit cannot be dodged by forging
 * {@code X-Forwarded-For}. Thread-safe.
 */
final class RateLimiter<K> {
  static final int DEFAULT_PER_MINUTE = 10;
  private static final int MAX_TRACKED = 10_000;
  private static final double MINUTE_MILLIS = 60_000.0;

  private final int perMinute;
  private final Clock clock;
  private final Map<K, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(int perMinute, Clock clock) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("A rate limit allows at least one attempt per minute");
    }
    this.perMinute = perMinute;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Takes one attempt for the key, or fails with {@code 429 rate_limited}. */
  void acquire(K key) {
    long waitMillis = bucket(key).take(clock.millis());
    if (waitMillis > 0) {
      throw new RateLimitedException(seconds(waitMillis));
    }
  }

  /** Fails with {@code 429 rate_limited} when the key has no attempt left, without taking one. */
  void check(K key) {
    Bucket bucket = buckets.get(key);
    long waitMillis = bucket == null ? 0 : bucket.waitMillis(clock.millis());
    if (waitMillis > 0) {
      throw new RateLimitedException(seconds(waitMillis));
    }
  }

  /** Takes one attempt for the key if one is left, as after a failed attempt that was allowed. */
  void record(K key) {
    bucket(key).take(clock.millis());
  }

  private Bucket bucket(K key) {
    long now = clock.millis();
    if (buckets.size() >= MAX_TRACKED) {
      // Full buckets carry no information, so forgetting them is free.
      buckets.values().removeIf(b -> b.isFull(now));
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
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

    /** 0 when an attempt is left, else how many milliseconds until one is back. */
    synchronized long waitMillis(long now) {
      refill(now);
      return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * MINUTE_MILLIS / capacity);
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
