package dev.vapiusage.simulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls happening now: each new call is added to the simulator's world and lives there as Vapi
 * shows it ({@code queued}, then {@code in-progress}, then {@code ended} with its costs, then
 * touched by post-call processing), and each step is pushed through a {@link Courier} as a {@code
 * status-update}, the last as the {@code end-of-call-report}. Every message carries the call as
 * {@code GET /call} shows it at that moment, so the polled and the pushed view agree; each step
 * moves {@code updatedAt} forward. Thread-safe.
 */
public final class LiveCalls implements AutoCloseable {
  private static final String[] TYPES = {"inboundPhoneCall", "outboundPhoneCall", "webCall"};
  private static final String[] ENDED_REASONS = {
    "customer-ended-call", "assistant-ended-call", "silence-timed-out"
  };

  private final SimulatorData data;
  private final Courier courier;
  private final ScheduledExecutorService scheduler;
  private final SplittableRandom random;
  private final AtomicLong begun = new AtomicLong();
  private volatile Duration ring = Duration.ofSeconds(1);
  private volatile Duration shortestTalk = Duration.ofSeconds(3);
  private volatile Duration longestTalk = Duration.ofSeconds(12);
  private volatile Duration postProcessing = Duration.ofMillis(500);

  private LiveCalls(SimulatorData data, Courier courier, long seed) {
    this.data = Objects.requireNonNull(data, "data");
    this.courier = Objects.requireNonNull(courier, "courier");
    this.random = new SplittableRandom(seed);
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "vapi-simulator-live-calls");
              thread.setDaemon(true);
              return thread;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.scheduler = executor;
  }

  /** Live calls in {@code data}'s world, pushed through {@code courier}. */
  public static LiveCalls of(SimulatorData data, Courier courier, long seed) {
    return new LiveCalls(data, courier, seed);
  }

  /**
   * How long a call rings, talks (a random time between the two bounds) and waits for post-call
   * processing, in real time. Defaults: 1 s, 3–12 s, 0.5 s.
   */
  public LiveCalls timing(
      Duration ringing, Duration shortest, Duration longest, Duration processing) {
    if (shortest.compareTo(longest) > 0) {
      throw new IllegalArgumentException("shortest talk <= longest talk");
    }
    this.ring = Objects.requireNonNull(ringing, "ringing");
    this.shortestTalk = shortest;
    this.longestTalk = longest;
    this.postProcessing = Objects.requireNonNull(processing, "processing");
    return this;
  }

  /** Begins a new call now and then every {@code every}, until {@link #close()}. */
  public LiveCalls start(Duration every) {
    long millis = every.toMillis();
    if (millis <= 0) {
      throw new IllegalArgumentException("every > 0");
    }
    scheduler.scheduleAtFixedRate(this::playOne, 0, millis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** How many calls have begun. */
  public long begun() {
    return begun.get();
  }

  /**
   * Plays one call's life; completes with the call as its end-of-call report shows it, once that
   * report is handed to the courier.
   */
  public CompletableFuture<SimulatedCall> playOne() {
    CompletableFuture<SimulatedCall> done = new CompletableFuture<>();
    List<String> assistants = data.assistantIds();
    String type;
    String assistant;
    String reason;
    long talkMillis;
    synchronized (random) {
      type = TYPES[random.nextInt(TYPES.length)];
      assistant = assistants.isEmpty() ? null : assistants.get(random.nextInt(assistants.size()));
      reason = ENDED_REASONS[random.nextInt(ENDED_REASONS.length)];
      long spread = longestTalk.toMillis() - shortestTalk.toMillis();
      talkMillis = shortestTalk.toMillis() + (spread == 0 ? 0 : random.nextLong(spread + 1));
    }
    Instant created = now(null);
    SimulatedCall queued =
        data.add(
            new SimulatedCall(
                data.newCallId(),
                data.orgId(),
                type,
                "queued",
                null,
                created,
                created,
                null,
                null,
                assistant,
                null,
                null,
                null));
    begun.incrementAndGet();
    courier.sendStatus(queued);
    later(
        ring,
        done,
        () -> {
          Instant started = now(queued.updatedAt());
          SimulatedCall inProgress =
              data.add(
                  new SimulatedCall(
                      queued.id(),
                      queued.orgId(),
                      type,
                      "in-progress",
                      null,
                      created,
                      started,
                      started,
                      null,
                      assistant,
                      null,
                      BigDecimal.ZERO,
                      null));
          courier.sendStatus(inProgress);
          later(
              Duration.ofMillis(talkMillis),
              done,
              () -> {
                Instant ended = now(inProgress.updatedAt());
                SimulatedCall over =
                    data.add(inProgress.withEndedReason(reason).endedAt(ended, ended));
                courier.sendStatus(over);
                later(
                    postProcessing,
                    done,
                    () -> {
                      SimulatedCall reported = data.add(over.withUpdatedAt(now(over.updatedAt())));
                      courier.sendReport(reported);
                      done.complete(reported);
                    });
              });
        });
    return done;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private void later(Duration delay, CompletableFuture<?> done, Runnable step) {
    Runnable guarded =
        () -> {
          try {
            step.run();
          } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
          }
        };
    try {
      scheduler.schedule(guarded, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      done.cancel(false);
    }
  }

  /** Now in milliseconds, and always after {@code previous}, so every step is newer. */
  private static Instant now(Instant previous) {
    Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
    return previous != null && !now.isAfter(previous) ? previous.plusMillis(1) : now;
  }
}
