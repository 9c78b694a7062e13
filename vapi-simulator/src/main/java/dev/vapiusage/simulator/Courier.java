package dev.vapiusage.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Delivers server messages to one server URL as Vapi does: a signed {@code POST} of the JSON body
 * per message, with the configured {@link WebhookCredential}, on a small pool of lanes (the
 * messages of one call go down one lane, so they arrive in the order given unless asked otherwise).
 * On demand it sends every message twice ({@link #duplicates}) or holds a window of messages and
 * sends them shuffled, each call's report before that call's status updates ({@link #outOfOrder}).
 * Every delivery is recorded ({@link #deliveries()}). Thread-safe.
 */
public final class Courier implements AutoCloseable {
  private static final int LANES = 4;
  private static final int KEEP_DELIVERIES = 10_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final URI serverUrl;
  private final WebhookCredential credential;
  private final ServerMessages messages;
  private final HttpClient client;
  private final ExecutorService[] lanes = new ExecutorService[LANES];
  private final Deque<Delivery> deliveries = new ArrayDeque<>();
  private final List<OutgoingMessage> held = new ArrayList<>();
  private final SplittableRandom random;
  private long inFlight;
  private long delivered;
  private boolean duplicates;
  private int window;
  private boolean closed;

  private Courier(URI serverUrl, WebhookCredential credential, ServerMessages messages, long seed) {
    this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
    this.credential = Objects.requireNonNull(credential, "credential");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.random = new SplittableRandom(seed);
    for (int i = 0; i < LANES; i++) {
      int lane = i;
      lanes[i] =
          Executors.newSingleThreadExecutor(
              task -> {
                Thread thread = new Thread(task, "vapi-simulator-courier-" + lane);
                thread.setDaemon(true);
                return thread;
              });
    }
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * A courier to {@code serverUrl} whose calls render as {@code messages} renders them; {@code
   * seed} makes its shuffles repeatable.
   */
  public static Courier to(
      URI serverUrl, WebhookCredential credential, ServerMessages messages, long seed) {
    return new Courier(serverUrl, credential, messages, seed);
  }

  public URI serverUrl() {
    return serverUrl;
  }

  /** Whether every message is sent twice (Vapi's delivery is at least once). */
  public synchronized Courier duplicates(boolean enabled) {
    this.duplicates = enabled;
    return this;
  }

  /**
   * Holds messages until {@code window} of them are queued (or {@link #flush()}), then sends them
   * in a shuffled order in which each call's report comes before its status updates. 0 or 1: in
   * order (the default).
   */
  public Courier outOfOrder(int window) {
    if (window < 0) {
      throw new IllegalArgumentException("window >= 0");
    }
    synchronized (this) {
      this.window = window;
    }
    flush();
    return this;
  }

  /** Renders and sends the call's {@code end-of-call-report}, stamped now. */
  public OutgoingMessage sendReport(SimulatedCall call) {
    OutgoingMessage message = messages.endOfCallReport(call, now());
    send(message);
    return message;
  }

  /** Renders and sends a {@code status-update} with the call's status, stamped now. */
  public OutgoingMessage sendStatus(SimulatedCall call) {
    OutgoingMessage message = messages.statusUpdate(call, now());
    send(message);
    return message;
  }

  /** Sends a rendered message (twice with {@link #duplicates}; held with {@link #outOfOrder}). */
  public void send(OutgoingMessage message) {
    Objects.requireNonNull(message, "message");
    List<OutgoingMessage> batch;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the courier is closed");
      }
      int copies = duplicates ? 2 : 1;
      if (window > 1) {
        for (int i = 0; i < copies; i++) {
          held.add(message);
        }
        if (held.size() < window) {
          return;
        }
        batch = shuffled(takeHeld());
      } else {
        batch = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
          batch.add(message);
        }
      }
    }
    dispatch(batch);
  }

  /** Sends the held messages now, shuffled as a full window would be. */
  public void flush() {
    List<OutgoingMessage> batch;
    synchronized (this) {
      if (held.isEmpty()) {
        return;
      }
      batch = shuffled(takeHeld());
    }
    dispatch(batch);
  }

  /** Waits until every message handed over (and not held) has been delivered or given up. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }
  }

  /** The latest deliveries (up to 10,000), in the order they were answered. */
  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** How many deliveries were made in all. */
  public synchronized long deliveredCount() {
    return delivered;
  }

  /** Sends what is held, waits up to five seconds for deliveries under way, and stops. */
  @Override
  public void close() {
    flush();
    try {
      awaitIdle(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      closed = true;
    }
    for (ExecutorService lane : lanes) {
      lane.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "Courier[" + serverUrl + ", " + credential + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private List<OutgoingMessage> takeHeld() {
    List<OutgoingMessage> batch = new ArrayList<>(held);
    held.clear();
    return batch;
  }

  /** A random order in which no call's report comes after one of that call's status updates. */
  private List<OutgoingMessage> shuffled(List<OutgoingMessage> batch) {
    for (int i = batch.size() - 1; i > 0; i--) {
      swap(batch, i, random.nextInt(i + 1));
    }
    // Within each call's positions, its reports take the first ones: its statuses follow.
    Map<String, List<Integer>> positions = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      positions.computeIfAbsent(batch.get(i).callId(), id -> new ArrayList<>()).add(i);
    }
    for (List<Integer> at : positions.values()) {
      List<OutgoingMessage> reportsFirst = new ArrayList<>(at.size());
      for (int i : at) {
        if (batch.get(i).isReport()) {
          reportsFirst.add(batch.get(i));
        }
      }
      for (int i : at) {
        if (!batch.get(i).isReport()) {
          reportsFirst.add(batch.get(i));
        }
      }
      for (int k = 0; k < at.size(); k++) {
        batch.set(at.get(k), reportsFirst.get(k));
      }
    }
    return batch;
  }

  private static void swap(List<OutgoingMessage> list, int i, int j) {
    OutgoingMessage swap = list.get(i);
    list.set(i, list.get(j));
    list.set(j, swap);
  }

  /**
   * One lane per call in order; a shuffled batch goes down one lane so that its order is the order
   * of arrival.
   */
  private void dispatch(List<OutgoingMessage> batch) {
    synchronized (this) {
      inFlight += batch.size();
    }
    if (batch.size() > 1 && !sameCall(batch)) {
      submit(lanes[Math.floorMod(batch.get(0).callId().hashCode(), LANES)], batch);
      return;
    }
    for (OutgoingMessage message : batch) {
      submit(lanes[Math.floorMod(message.callId().hashCode(), LANES)], List.of(message));
    }
  }

  private static boolean sameCall(List<OutgoingMessage> batch) {
    String first = batch.get(0).callId();
    return batch.stream().allMatch(m -> m.callId().equals(first));
  }

  private void submit(ExecutorService lane, List<OutgoingMessage> batch) {
    try {
      lane.execute(
          () -> {
            for (OutgoingMessage message : batch) {
              deliver(message);
            }
          });
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        inFlight -= batch.size();
        notifyAll();
      }
    }
  }

  private void deliver(OutgoingMessage message) {
    Instant sentAt = now();
    long started = System.nanoTime();
    int status = 0;
    String error = null;
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(serverUrl)
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
      credential.headers(message.body(), sentAt).forEach(request::header);
      status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } finally {
      Delivery delivery =
          new Delivery(
              message.type(),
              message.callId(),
              message.status(),
              status,
              sentAt,
              Duration.ofNanos(System.nanoTime() - started),
              error);
      synchronized (this) {
        deliveries.addLast(delivery);
        if (deliveries.size() > KEEP_DELIVERIES) {
          deliveries.removeFirst();
        }
        delivered++;
        inFlight--;
        notifyAll();
      }
    }
  }

  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
  }
}
