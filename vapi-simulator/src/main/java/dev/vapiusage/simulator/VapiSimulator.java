package dev.vapiusage.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vapiusage.simulator.FaultInjector.Decision;
import dev.vapiusage.simulator.JsonResponses.Body;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Vapi API on loopback for tests and the demo: {@code GET /call}, {@code GET /call/{id}}, {@code
 * GET /v2/call} and {@code GET /assistant} over a {@link SimulatorData} world, with Vapi's
 * parameter rules ({@link VapiParameterRules}; 401 for a wrong key) and injectable faults ({@link
 * Faults}, drawn by a {@link FaultInjector}); every request is recorded ({@link #requests()}). It
 * also pushes Vapi's server messages to a server URL ({@link #serverUrl}, {@link #liveCalls}). This
 * class is the server and its routes. Thread-safe; start one with {@link #start(SimulatorData,
 * String)}, or run {@link SimulatorMain}.
 *
 * <p>For the demo: {@code VapiSimulator.start(SimulatorData.generated(42, 50_000,
 * now.minus(Duration.ofDays(90)), now), "demo-key")}, then point the client at {@link #baseUri()}.
 *
 * <p>Speed: the JDK server sends headers and body in separate writes, so with Nagle's algorithm on
 * every small answer waits out the client's delayed ACK (~40 ms). Whoever owns the JVM should start
 * it with {@code -Dsun.net.httpserver.nodelay=true} (read once, when the JVM's first HttpServer
 * starts): the builds' surefire and failsafe, the server's {@code Main} (for {@code demo}) and the
 * benchmarks' mains do. This class sets no JVM-wide state itself.
 */
public final class VapiSimulator implements AutoCloseable {
  /**
   * Which calls (or assistants) a {@code GET /call} (or {@code GET /assistant}) with more matches
   * than its {@code limit} returns.
   */
  public enum Order {
    /** The newest {@code limit} matches, newest first (what Vapi appears to do). */
    NEWEST_FIRST,
    /** The oldest {@code limit} matches, oldest first. */
    OLDEST_FIRST,
    /** A random choice among all matches, in random order: no order to rely on at all. */
    SHUFFLED
  }

  private final SimulatorData data;
  private final byte[] expectedAuthorization;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI baseUri;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicLong shuffleSeed = new AtomicLong(7);
  private final RequestLog log = new RequestLog();
  private final FaultInjector faults = new FaultInjector();
  private final JsonResponses responses = new JsonResponses(log, closed);
  private volatile Order order = Order.NEWEST_FIRST;
  private volatile boolean v2Route = true;
  private volatile boolean gzip;
  private volatile boolean heavyFields = true;
  private final List<AutoCloseable> pushing = new ArrayList<>();

  private VapiSimulator(SimulatorData data, String apiKey, int port) throws IOException {
    this.data = Objects.requireNonNull(data, "data");
    this.expectedAuthorization =
        ("Bearer " + Objects.requireNonNull(apiKey, "apiKey")).getBytes(StandardCharsets.UTF_8);
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "vapi-simulator-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    InetSocketAddress address = server.getAddress();
    this.baseUri =
        URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
  }

  /** Starts on a free loopback port, accepting only {@code Authorization: Bearer apiKey}. */
  public static VapiSimulator start(SimulatorData data, String apiKey) {
    return start(data, apiKey, 0);
  }

  /** Starts on a given loopback port (0 for a free one). */
  public static VapiSimulator start(SimulatorData data, String apiKey, int port) {
    try {
      return new VapiSimulator(data, apiKey, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Vapi simulator", e);
    }
  }

  /** The base URL to give a client, e.g. {@code http://127.0.0.1:40123}. */
  public URI baseUri() {
    return baseUri;
  }

  public SimulatorData data() {
    return data;
  }

  /** Replaces the injected faults; their random draws restart from their seed. */
  public VapiSimulator faults(Faults newFaults) {
    faults.plan(newFaults);
    return this;
  }

  /** Answers the next {@code count} requests with {@code status} (before checking the key). */
  public VapiSimulator failNext(int count, int status) {
    faults.failNext(count, status);
    return this;
  }

  public VapiSimulator order(Order newOrder) {
    this.order = Objects.requireNonNull(newOrder, "order");
    return this;
  }

  /** Whether {@code GET /v2/call} answers (it left Vapi's public spec in 2026; default on). */
  public VapiSimulator v2Route(boolean enabled) {
    this.v2Route = enabled;
    return this;
  }

  /** Whether bodies are gzip-compressed for clients that accept it (default off). */
  public VapiSimulator gzip(boolean enabled) {
    this.gzip = enabled;
    return this;
  }

  /** Whether calls carry {@code messages}, {@code artifact}, {@code analysis} (default on). */
  public VapiSimulator heavyFields(boolean enabled) {
    this.heavyFields = enabled;
    return this;
  }

  /**
   * A courier that delivers this world's server messages to {@code serverUrl}, signed with {@code
   * credential}, rendered with the current {@link #heavyFields} setting; closed with the simulator.
   */
  public Courier serverUrl(URI serverUrl, WebhookCredential credential) {
    Courier courier =
        Courier.to(
            serverUrl, credential, ServerMessages.withHeavyFields(heavyFields), shuffleSeed.get());
    return keep(courier);
  }

  /**
   * Calls happening now in this world, pushed through {@code courier} (see {@link LiveCalls});
   * stopped with the simulator.
   */
  public LiveCalls liveCalls(Courier courier) {
    return keep(LiveCalls.of(data, courier, shuffleSeed.get()));
  }

  private <T extends AutoCloseable> T keep(T pusher) {
    synchronized (pushing) {
      if (closed.getCount() == 0) {
        closeQuietly(pusher);
        throw new IllegalStateException("the simulator is closed");
      }
      pushing.add(pusher);
    }
    return pusher;
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // Closing a pusher only stops its threads; nothing is left to clean up.
    }
  }

  public long requestCount() {
    return log.count();
  }

  /** The latest requests (up to 10,000), oldest first. */
  public List<RecordedRequest> requests() {
    return log.requests();
  }

  public void clearRequests() {
    log.clear();
  }

  /**
   * Requests that arrived before the wait the previous 429 asked for; meaningful while one client
   * talks to the simulator at a time.
   */
  public List<String> retryAfterViolations() {
    return faults.retryAfterViolations();
  }

  @Override
  public void close() {
    List<AutoCloseable> pushers;
    synchronized (pushing) {
      closed.countDown();
      pushers = new ArrayList<>(pushing);
      pushing.clear();
    }
    // Live calls first: they hand messages to the couriers.
    for (int i = pushers.size() - 1; i >= 0; i--) {
      closeQuietly(pushers.get(i));
    }
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "VapiSimulator[" + baseUri + "]";
  }

  /** Returns once the simulator is closed. */
  void awaitClose() throws InterruptedException {
    closed.await();
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    long arrivedNanos = System.nanoTime();
    Instant arrived = Instant.now();
    String path = exchange.getRequestURI().getRawPath();
    RequestLog.Pending pending = log.arrived(exchange.getRequestMethod(), path, arrived);
    try {
      try {
        faults.checkRetryAfter(arrivedNanos, arrived, path);
        pending.query.putAll(VapiParameterRules.decode(exchange.getRequestURI().getRawQuery()));
        Decision decision = faults.decide();
        if (decision.delayed) {
          pause(decision.delay);
        }
        respond(exchange, path, pending.query, decision, pending);
      } catch (Rejection rejection) {
        responses.sendError(
            exchange, rejection.status, rejection.error, rejection.message, Map.of());
      }
      // A broken body leaves by exception instead, so the server drops the connection.
      exchange.close();
    } finally {
      log.ended(pending);
    }
  }

  private void respond(
      HttpExchange exchange,
      String path,
      Map<String, String> query,
      Decision decision,
      RequestLog.Pending pending)
      throws IOException, Rejection {
    int faultStatus = decision.faultStatus();
    if (faultStatus != 0) {
      sendFault(exchange, faultStatus, decision.faults);
      return;
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null
        || !MessageDigest.isEqual(
            expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
      throw new Rejection(
          401,
          "Unauthorized",
          "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.");
    }
    String method = exchange.getRequestMethod();
    if (!"GET".equals(method)) {
      throw Rejection.notFound(method, path);
    }
    Body body;
    if (path.equals("/call")) {
      List<SimulatedCall> calls = listCalls(query);
      pending.results = calls.size();
      body = arrayOf(calls);
    } else if (path.startsWith("/call/") && path.length() > "/call/".length()) {
      body =
          oneCall(
              URLDecoder.decode(path.substring("/call/".length()), StandardCharsets.UTF_8), query);
    } else if (path.equals("/v2/call") && v2Route) {
      body = pageOfCalls(query, pending);
    } else if (path.equals("/assistant")) {
      body = assistants(query, pending);
    } else {
      throw Rejection.notFound(method, path);
    }
    responses.sendJson(exchange, 200, body, decision.fault, gzip);
  }

  private List<SimulatedCall> listCalls(Map<String, String> query) throws Rejection {
    Map<String, Instant> bounds =
        VapiParameterRules.validate(query, VapiParameterRules.CALL_PARAMS);
    int limit = VapiParameterRules.limit(query);
    return data.select(
        CallQuery.of(query, bounds),
        limit,
        order,
        new SplittableRandom(shuffleSeed.incrementAndGet()));
  }

  private Body arrayOf(List<SimulatedCall> calls) {
    return g -> {
      CallJson writer = new CallJson(heavyFields);
      g.writeStartArray();
      for (SimulatedCall call : calls) {
        writer.write(g, call);
      }
      g.writeEndArray();
    };
  }

  private Body oneCall(String id, Map<String, String> query) throws Rejection {
    VapiParameterRules.validate(query, VapiParameterRules.NONE);
    SimulatedCall call =
        data.call(id).orElseThrow(() -> new Rejection(404, "Not Found", "Call not found"));
    return g -> new CallJson(heavyFields).write(g, call);
  }

  private Body pageOfCalls(Map<String, String> query, RequestLog.Pending pending) throws Rejection {
    Map<String, Instant> bounds = VapiParameterRules.validate(query, VapiParameterRules.V2_PARAMS);
    int limit = VapiParameterRules.limit(query);
    int page = VapiParameterRules.page(query);
    String sortOrder = VapiParameterRules.sortOrder(query);
    List<SimulatedCall> all = new ArrayList<>();
    data.forEachMatch(CallQuery.of(query, bounds), all::add);
    Comparator<SimulatedCall> byCreated =
        Comparator.comparing(SimulatedCall::createdAt).thenComparing(SimulatedCall::id);
    all.sort(sortOrder.equals("ASC") ? byCreated : byCreated.reversed());
    long total = all.size();
    int fromIndex = (int) Math.min(total, (long) (page - 1) * limit);
    int toIndex = (int) Math.min(total, (long) fromIndex + limit);
    List<SimulatedCall> results = all.subList(fromIndex, toIndex);
    pending.results = results.size();
    long totalPages = limit == 0 ? 0 : (total + limit - 1) / limit;
    return g -> {
      CallJson writer = new CallJson(heavyFields);
      g.writeStartObject();
      g.writeArrayFieldStart("results");
      for (SimulatedCall call : results) {
        writer.write(g, call);
      }
      g.writeEndArray();
      g.writeObjectFieldStart("metadata");
      g.writeNumberField("itemsPerPage", limit);
      g.writeNumberField("totalItems", total);
      g.writeNumberField("currentPage", page);
      g.writeNumberField("totalPages", totalPages);
      g.writeBooleanField("hasNextPage", page < totalPages);
      g.writeStringField("sortOrder", sortOrder);
      g.writeBooleanField("itemsBeyondRetention", false);
      g.writeEndObject();
      g.writeEndObject();
    };
  }

  private Body assistants(Map<String, String> query, RequestLog.Pending pending) throws Rejection {
    Map<String, Instant> bounds =
        VapiParameterRules.validate(query, VapiParameterRules.ASSISTANT_PARAMS);
    int limit = VapiParameterRules.limit(query);
    List<SimulatedAssistant> listed =
        data.selectAssistants(
            CallQuery.of(Map.of(), bounds),
            limit,
            order,
            new SplittableRandom(shuffleSeed.incrementAndGet()));
    pending.results = listed.size();
    return g -> {
      g.writeStartArray();
      for (SimulatedAssistant assistant : listed) {
        AssistantJson.write(g, assistant, data.orgId());
      }
      g.writeEndArray();
    };
  }

  private void sendFault(HttpExchange exchange, int status, Faults f) throws IOException {
    Map<String, String> headers = Map.of();
    String error =
        status == 429 ? "Too Many Requests" : status >= 500 ? "Internal Server Error" : "Error";
    String message =
        status == 429 ? "Rate limit exceeded" : status >= 500 ? "Internal server error" : error;
    if (status == 429) {
      headers = faults.retryAfter(f);
    }
    responses.sendError(exchange, status, error, message, headers);
  }

  private void pause(Duration delay) {
    try {
      closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
