package dev.vapiusage.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decides, request by request, which fault of the current {@link Faults} plan (or of the scripted
 * statuses) a request meets, writes the {@code Retry-After} of a 429, and notes requests that came
 * back before it allowed. Thread-safe.
 */
final class FaultInjector {
  enum Fault {
    NONE,
    RATE_LIMITED,
    SERVER_ERROR,
    TRUNCATED,
    MALFORMED,
    STALLED
  }

  /** What one request meets: a scripted status, or a drawn fault, and maybe a delay first. */
  static final class Decision {
    final Fault fault;
    final int scriptedStatus;
    final boolean delayed;
    final Duration delay;
    final Faults faults;

    Decision(Fault fault, int scriptedStatus, boolean delayed, Duration delay, Faults faults) {
      this.fault = fault;
      this.scriptedStatus = scriptedStatus;
      this.delayed = delayed;
      this.delay = delay;
      this.faults = faults;
    }

    /** The status answered instead of the route's, or 0 when the route answers. */
    int faultStatus() {
      return scriptedStatus != 0
          ? scriptedStatus
          : fault == Fault.RATE_LIMITED ? 429 : fault == Fault.SERVER_ERROR ? 500 : 0;
    }
  }

  private final Object lock = new Object();
  private final Deque<Integer> scripted = new ArrayDeque<>();
  private final List<String> retryAfterViolations = new ArrayList<>();
  private int rateLimitCount;
  private Faults faults = Faults.none();
  private Random random = new Random(faults.seed());
  private long notBeforeNanos;
  private long notBeforeEpochMilli;

  /** Replaces the plan; its random draws restart from its seed. */
  void plan(Faults newFaults) {
    synchronized (lock) {
      this.faults = Objects.requireNonNull(newFaults, "faults");
      this.random = new Random(newFaults.seed());
    }
  }

  void failNext(int count, int status) {
    synchronized (lock) {
      for (int i = 0; i < count; i++) {
        scripted.add(status);
      }
    }
  }

  List<String> retryAfterViolations() {
    synchronized (lock) {
      return List.copyOf(retryAfterViolations);
    }
  }

  /** The fault the next request meets: a scripted status first, else a draw from the plan. */
  Decision decide() {
    synchronized (lock) {
      Integer status = scripted.poll();
      if (status != null) {
        return new Decision(Fault.NONE, status, false, Duration.ZERO, faults);
      }
      Faults f = faults;
      double draw = random.nextDouble();
      boolean delayed = random.nextDouble() < f.delayed();
      Fault fault = Fault.NONE;
      double edge = f.rateLimited();
      if (draw < edge) {
        fault = Fault.RATE_LIMITED;
      } else if (draw < (edge += f.serverErrors())) {
        fault = Fault.SERVER_ERROR;
      } else if (draw < (edge += f.truncated())) {
        fault = Fault.TRUNCATED;
      } else if (draw < (edge += f.malformed())) {
        fault = Fault.MALFORMED;
      } else if (draw < edge + f.stalled()) {
        fault = Fault.STALLED;
      }
      return new Decision(fault, 0, delayed, f.delay(), f);
    }
  }

  /** The 429's header, remembering the earliest time the next request may arrive. */
  Map<String, String> retryAfter(Faults f) {
    synchronized (lock) {
      Faults.RetryAfterStyle style = f.retryAfterStyle();
      if (style == Faults.RetryAfterStyle.NONE) {
        return Map.of();
      }
      if (style == Faults.RetryAfterStyle.MIXED) {
        style =
            rateLimitCount++ % 2 == 0
                ? Faults.RetryAfterStyle.SECONDS
                : Faults.RetryAfterStyle.HTTP_DATE;
      }
      if (style == Faults.RetryAfterStyle.SECONDS) {
        long seconds = (f.retryAfter().toMillis() + 999) / 1000;
        notBeforeNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        return Map.of("Retry-After", Long.toString(seconds));
      }
      // An HTTP-date has whole seconds: round up, and at least a second away.
      long at = System.currentTimeMillis() + Math.max(1000, f.retryAfter().toMillis());
      at = (at + 999) / 1000 * 1000;
      notBeforeEpochMilli = at;
      return Map.of(
          "Retry-After",
          DateTimeFormatter.RFC_1123_DATE_TIME.format(
              ZonedDateTime.ofInstant(Instant.ofEpochMilli(at), ZoneOffset.UTC)));
    }
  }

  /** Notes a request that arrived before the last 429's {@code Retry-After} allowed. */
  void checkRetryAfter(long arrivedNanos, Instant arrived, String path) {
    synchronized (lock) {
      if (notBeforeNanos != 0 && arrivedNanos < notBeforeNanos) {
        retryAfterViolations.add(
            path
                + " arrived "
                + (notBeforeNanos - arrivedNanos) / 1_000_000
                + " ms before Retry-After (seconds)");
      }
      if (notBeforeEpochMilli != 0 && arrived.toEpochMilli() < notBeforeEpochMilli) {
        retryAfterViolations.add(
            path
                + " arrived "
                + (notBeforeEpochMilli - arrived.toEpochMilli())
                + " ms before Retry-After (date)");
      }
      notBeforeNanos = 0;
      notBeforeEpochMilli = 0;
    }
  }
}
