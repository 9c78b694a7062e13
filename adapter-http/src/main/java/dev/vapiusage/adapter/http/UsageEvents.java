package dev.vapiusage.adapter.http;

import dev.vapiusage.application.WatchUsage;
import dev.vapiusage.domain.UserId;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/vapi/events}: a Server-Sent Events stream per open dashboard page, with an {@code
 * event: usage} whenever the user's data version changes. One thread per server polls the versions
 * of every user with an open stream, in one read, a few times a second, and writes the events and
 * the heartbeats; a connection costs no thread while it waits. Thread-safe.
 */
final class UsageEvents implements AutoCloseable {
  static final String ROUTE = "/api/vapi/events";
  static final Duration POLL = Duration.ofMillis(250);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final int MAX_STREAMS_PER_USER = 10;
  static final String GAUGE = "http.server.event.streams";

  /** What an EventSource waits before it reconnects after the stream ends. */
  static final String RETRY = "retry: 1000\n\n";

  private static final String HEARTBEAT_COMMENT = ": heartbeat\n\n";
  private static final Duration FAILURE_LOG_EVERY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(UsageEvents.class);

  private final WatchUsage watch;
  private final long heartbeatNanos;
  private final int maxPerUser;
  private final Map<UserId, List<EventStream>> byUser = new HashMap<>();
  private final ScheduledExecutorService poller;
  private long lastFailureLogged = System.nanoTime() - FAILURE_LOG_EVERY.toNanos();
  private boolean closed;

  /** How often to read the versions and how long a quiet stream waits for a heartbeat. */
  record Timings(Duration poll, Duration heartbeat) {
    static final Timings DEFAULT = new Timings(POLL, HEARTBEAT);

    Timings {
      if (poll.isNegative() || poll.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
        throw new IllegalArgumentException("Event timings are positive");
      }
    }
  }

  UsageEvents(WatchUsage watch, Timings timings, int maxPerUser) {
    this.watch = Objects.requireNonNull(watch, "watch");
    this.heartbeatNanos = timings.heartbeat().toNanos();
    this.maxPerUser = maxPerUser;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "vapi-usage-events");
              thread.setDaemon(true);
              return thread;
            });
    long period = timings.poll().toMillis();
    poller.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /** Counts the open streams on {@code registry} as {@value #GAUGE}. */
  UsageEvents countOn(Optional<MeterRegistry> registry) {
    registry.ifPresent(
        r ->
            Gauge.builder(GAUGE, this, UsageEvents::open)
                .description("Open Server-Sent Events streams of dashboard pages")
                .register(r));
    return this;
  }

  /** How many streams are open. */
  synchronized int open() {
    return byUser.values().stream().mapToInt(List::size).sum();
  }

  /** The route's handler: answers the stream's head and first event, then leaves it open. */
  void stream(Context ctx, Caller caller) throws IOException {
    boolean head = ctx.method().name().equals("HEAD");
    // Before the stream's head, so a refusal answers with the contract's error JSON.
    EventStream stream = head ? null : reserve(caller.userId(), ctx);
    ctx.status(200);
    ctx.contentType("text/event-stream;charset=utf-8");
    // Overrides the no-store of every response: an event stream is never stored anyway, and
    // no-cache is what proxies know to pass through as a stream.
    ctx.header("Cache-Control", "no-cache");
    // nginx buffers a proxied response unless told not to, which would hold the events back.
    ctx.header("X-Accel-Buffering", "no");
    if (head) {
      return;
    }
    try {
      long version = watch.versions(List.of(caller.userId())).getOrDefault(caller.userId(), 0L);
      // Written straight to the servlet stream, past Javalin's compression: a gzip stream would
      // hold the events back until its buffer filled.
      if (!stream.send(RETRY + usageEvent(version))) {
        release(stream);
        return;
      }
      stream.seen = version;
    } catch (RuntimeException | Error e) {
      release(stream);
      throw e;
    }
    ctx.future(() -> activate(ctx, stream));
  }

  private synchronized EventStream reserve(UserId userId, Context ctx) throws IOException {
    List<EventStream> streams = byUser.computeIfAbsent(userId, u -> new ArrayList<>());
    if (streams.size() >= maxPerUser) {
      // A page closed a moment ago may still count: only a write finds out that it went away.
      streams.removeIf(s -> !s.send(HEARTBEAT_COMMENT));
    }
    if (closed || streams.size() >= maxPerUser) {
      if (streams.isEmpty()) {
        byUser.remove(userId);
      }
      throw new RateLimitedException(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(heartbeatNanos)));
    }
    EventStream stream = new EventStream(userId, ctx);
    streams.add(stream);
    return stream;
  }

  /** Runs once Javalin has made the request asynchronous: from now on the poller writes. */
  private CompletableFuture<Void> activate(Context ctx, EventStream stream) {
    AsyncContext async = ctx.req().getAsyncContext();
    // A host's asyncTimeout would end every stream after it; the heartbeat keeps the connection
    // alive and a failed write ends it.
    async.setTimeout(0);
    async.addListener(
        new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            release(stream);
          }

          @Override
          public void onTimeout(AsyncEvent event) {
            release(stream);
          }

          @Override
          public void onError(AsyncEvent event) {
            release(stream);
          }

          @Override
          public void onStartAsync(AsyncEvent event) {
            // Nothing to do: the stream was registered before.
          }
        });
    stream.active = true;
    stream.done.whenComplete((ignored, failure) -> release(stream));
    synchronized (this) {
      if (closed) {
        stream.end();
      }
    }
    return stream.done;
  }

  private void release(EventStream stream) {
    synchronized (this) {
      List<EventStream> streams = byUser.get(stream.userId);
      if (streams != null && streams.remove(stream) && streams.isEmpty()) {
        byUser.remove(stream.userId);
      }
    }
    stream.end();
  }

  private void tick() {
    try {
      List<EventStream> streams = activeStreams();
      if (streams.isEmpty()) {
        return;
      }
      Set<UserId> users = new HashSet<>();
      streams.forEach(s -> users.add(s.userId));
      Map<UserId, Long> versions = readVersions(users);
      long now = System.nanoTime();
      for (EventStream stream : streams) {
        Long version = versions.get(stream.userId);
        boolean written;
        if (version != null && version != stream.seen) {
          stream.seen = version;
          written = stream.send(usageEvent(version));
        } else if (now - stream.lastWrite >= heartbeatNanos) {
          written = stream.send(HEARTBEAT_COMMENT);
        } else {
          written = true;
        }
        if (!written) {
          release(stream);
        }
      }
    } catch (RuntimeException e) {
      // The poller must outlive any one failure, or every page would stop updating.
      LOG.warn("Event streams could not be served", Redacted.copyOf(e));
    }
  }

  private Map<UserId, Long> readVersions(Set<UserId> users) {
    try {
      return watch.versions(users);
    } catch (RuntimeException e) {
      // The database is away: the streams stay open (heartbeats go on) and catch up when it is
      // back.
      long now = System.nanoTime();
      if (now - lastFailureLogged >= FAILURE_LOG_EVERY.toNanos()) {
        lastFailureLogged = now;
        LOG.warn("Data versions could not be read for the event streams", Redacted.copyOf(e));
      }
      return Map.of();
    }
  }

  private synchronized List<EventStream> activeStreams() {
    List<EventStream> active = new ArrayList<>();
    byUser.values().forEach(list -> list.stream().filter(s -> s.active).forEach(active::add));
    return active;
  }

  static String usageEvent(long version) {
    return "event: usage\ndata: {\"version\":" + version + "}\n\n";
  }

  /** Ends every stream and the poller; a stream opened afterwards is refused. */
  @Override
  public void close() {
    List<EventStream> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      byUser.values().forEach(all::addAll);
    }
    all.forEach(this::release);
    poller.shutdownNow();
  }

  /** One open response; writes are serialised, and the first failed write ends it. */
  private static final class EventStream {
    final UserId userId;
    final Context ctx;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile boolean active;
    volatile long lastWrite = System.nanoTime();
    // Read and written by the poller only, after the request thread's first write.
    volatile long seen;

    EventStream(UserId userId, Context ctx) {
      this.userId = userId;
      this.ctx = ctx;
    }

    synchronized boolean send(String text) {
      if (done.isDone()) {
        return false;
      }
      try {
        var out = ctx.res().getOutputStream();
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
        lastWrite = System.nanoTime();
        return true;
      } catch (IOException | RuntimeException e) {
        // The client went away (or the server is stopping): nothing to report.
        return false;
      }
    }

    void end() {
      done.complete(null);
    }
  }
}
