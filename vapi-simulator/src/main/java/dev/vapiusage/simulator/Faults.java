package dev.vapiusage.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * What share of requests a {@link VapiSimulator} answers badly, drawn from a seeded random sequence
 * so a failing test replays the same faults. The shares of the exclusive faults (429, 500,
 * truncated, malformed, stalled) add up to at most 1; a delay can come on top of any answer.
 *
 * @param rateLimited share answered {@code 429} with a {@code Retry-After} header
 * @param retryAfter the wait a 429 asks for (whole seconds; an HTTP-date is rounded up to one)
 * @param retryAfterStyle how a 429 states its wait
 * @param serverErrors share answered {@code 500}
 * @param truncated share whose body stops half-way and whose connection then closes
 * @param malformed share whose body is cut half-way but ends cleanly at the HTTP level
 * @param stalled share whose body stops half-way and then sends nothing until the client leaves
 * @param delayed share answered only after {@code delay}
 * @param delay how long a delayed answer waits before its headers
 * @param seed the seed of the draws
 */
public record Faults(
    double rateLimited,
    Duration retryAfter,
    RetryAfterStyle retryAfterStyle,
    double serverErrors,
    double truncated,
    double malformed,
    double stalled,
    double delayed,
    Duration delay,
    long seed) {

  /** How a {@code 429} states its wait. */
  public enum RetryAfterStyle {
    /** {@code Retry-After: 1}. */
    SECONDS,
    /** {@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}. */
    HTTP_DATE,
    /** Seconds and HTTP-dates in turn. */
    MIXED,
    /** No header at all: the client backs off on its own. */
    NONE
  }

  public Faults {
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(retryAfterStyle, "retryAfterStyle");
    Objects.requireNonNull(delay, "delay");
    for (double share :
        new double[] {rateLimited, serverErrors, truncated, malformed, stalled, delayed}) {
      if (share < 0 || share > 1) {
        throw new IllegalArgumentException("a share is between 0 and 1");
      }
    }
    if (rateLimited + serverErrors + truncated + malformed + stalled > 1.000_001) {
      throw new IllegalArgumentException("the exclusive fault shares add up to more than 1");
    }
  }

  /** A healthy Vapi. */
  public static Faults none() {
    return new Faults(
        0, Duration.ofSeconds(1), RetryAfterStyle.SECONDS, 0, 0, 0, 0, 0, Duration.ZERO, 1L);
  }

  public Faults withRateLimited(double share, Duration wait, RetryAfterStyle style) {
    return new Faults(
        share, wait, style, serverErrors, truncated, malformed, stalled, delayed, delay, seed);
  }

  public Faults withServerErrors(double share) {
    return new Faults(
        rateLimited,
        retryAfter,
        retryAfterStyle,
        share,
        truncated,
        malformed,
        stalled,
        delayed,
        delay,
        seed);
  }

  public Faults withTruncatedBodies(double share) {
    return new Faults(
        rateLimited,
        retryAfter,
        retryAfterStyle,
        serverErrors,
        share,
        malformed,
        stalled,
        delayed,
        delay,
        seed);
  }

  public Faults withMalformedBodies(double share) {
    return new Faults(
        rateLimited,
        retryAfter,
        retryAfterStyle,
        serverErrors,
        truncated,
        share,
        stalled,
        delayed,
        delay,
        seed);
  }

  public Faults withStalledBodies(double share) {
    return new Faults(
        rateLimited,
        retryAfter,
        retryAfterStyle,
        serverErrors,
        truncated,
        malformed,
        share,
        delayed,
        delay,
        seed);
  }

  public Faults withDelays(double share, Duration wait) {
    return new Faults(
        rateLimited,
        retryAfter,
        retryAfterStyle,
        serverErrors,
        truncated,
        malformed,
        stalled,
        share,
        wait,
        seed);
  }

  public Faults withSeed(long newSeed) {
    return new Faults(
        rateLimited,
        retryAfter,
        retryAfterStyle,
        serverErrors,
        truncated,
        malformed,
        stalled,
        delayed,
        delay,
        newSeed);
  }
}
