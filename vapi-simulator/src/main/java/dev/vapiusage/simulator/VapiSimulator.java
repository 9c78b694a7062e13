package dev.vapiusage.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * A Vapi API on loopback for tests and the demo: {@code GET /call}, {@code GET /call/{id}},
 * {@code GET /v2/call} and {@code GET /assistant} over a {@link SimulatorData} world, with Vapi's
 * parameter rules (400 for an unknown parameter or {@code limit} above 1000, 401 for a wrong key)
 * and injectable faults. Thread-safe; start one with {@link #start(SimulatorData, String)}.
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
  /** Which calls a {@code GET /call} with more matches than its {@code limit} returns. */
  public enum Order {
    /** The newest {@code limit} matches, newest first (what Vapi appears to do). */
    NEWEST_FIRST,
    /** The oldest {@code limit} matches, oldest first. */
    OLDEST_FIRST,
    /** A random choice among all matches, in random order: no order to rely on at all. */
    SHUFFLED
  }

  private static final Pattern FOUR_DIGIT_YEAR = Pattern.compile("[0-9]{4}-");
  private static final JsonFactory JSON = new JsonFactory();
  private static final ThreadLocal<Pending> PENDING = new ThreadLocal<>();
  private static final ThreadLocal<PageBuffer> PAGE_BUFFER = ThreadLocal.withInitial(PageBuffer::new);
  private static final int MAX_LIMIT = 1000;
  private static final int DEFAULT_LIMIT = 100;
  private static final int RECORDED_MAX = 10_000;
  private static final List<String> TIME_BOUNDS =
      List.of(
          "createdAtGt", "createdAtLt", "createdAtGe", "createdAtLe",
          "updatedAtGt", "updatedAtLt", "updatedAtGe", "updatedAtLe");
  private static final Set<String> CALL_PARAMS = params("id", "assistantId", "phoneNumberId", "limit");
  private static final Set<String> V2_PARAMS =
      params("id", "assistantId", "phoneNumberId", "limit", "page", "sortOrder");
  private static final Set<String> ASSISTANT_PARAMS = params("limit");

  private final SimulatorData data;
  private final byte[] expectedAuthorization;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI baseUri;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicLong requestCount = new AtomicLong();
  private final AtomicLong shuffleSeed = new AtomicLong(7);
  private final AtomicInteger rateLimitCount = new AtomicInteger();
  private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
  private final List<String> retryAfterViolations = new ArrayList<>();
  private final Deque<Integer> scripted = new ArrayDeque<>();
  private final Object faultLock = new Object();
  private Faults faults = Faults.none();
  private Random faultRandom = new Random(faults.seed());
  private long notBeforeNanos;
  private long notBeforeEpochMilli;
  private volatile Order order = Order.NEWEST_FIRST;
  private volatile boolean v2Route = true;
  private volatile boolean gzip;
  private volatile boolean heavyFields = true;

  private VapiSimulator(SimulatorData data, String apiKey, int port) throws IOException {
    this.data = Objects.requireNonNull(data, "data");
    this.expectedAuthorization =
        ("Bearer " + Objects.requireNonNull(apiKey, "apiKey")).getBytes(StandardCharsets.UTF_8);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
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
    this.baseUri = URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
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
    synchronized (faultLock) {
      this.faults = Objects.requireNonNull(newFaults, "faults");
      this.faultRandom = new Random(newFaults.seed());
    }
    return this;
  }

  /** Answers the next {@code count} requests with {@code status} (before checking the key). */
  public VapiSimulator failNext(int count, int status) {
    synchronized (faultLock) {
      for (int i = 0; i < count; i++) {
        scripted.add(status);
      }
    }
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

  public long requestCount() {
    return requestCount.get();
  }

  /** The latest requests (up to 10,000), oldest first. */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  public void clearRequests() {
    synchronized (recorded) {
      recorded.clear();
    }
    requestCount.set(0);
  }

  /**
   * Requests that arrived before the wait the previous 429 asked for; meaningful while one client
   * talks to the simulator at a time.
   */
  public List<String> retryAfterViolations() {
    synchronized (faultLock) {
      return List.copyOf(retryAfterViolations);
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "VapiSimulator[" + baseUri + "]";
  }

  /**
   * Runs a simulator until killed: {@code --port=8089 --calls=100000 --days=90 --seed=42
   * --key=demo-key}; calls are generated over the last {@code days} days up to now.
   */
  public static void main(String[] args) throws InterruptedException {
    // This main owns its JVM, so it may make the JVM-wide setting the class itself leaves alone.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        System.err.println("usage: VapiSimulator [--port=8089] [--calls=100000] [--days=90] [--seed=42] [--key=demo-key]");
        System.exit(2);
      }
      options.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    int port = Integer.parseInt(options.getOrDefault("port", "8089"));
    int calls = Integer.parseInt(options.getOrDefault("calls", "100000"));
    int days = Integer.parseInt(options.getOrDefault("days", "90"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    String key = options.getOrDefault("key", "demo-key");
    Instant now = Instant.now();
    VapiSimulator simulator =
        start(SimulatorData.generated(seed, calls, now.minus(Duration.ofDays(days)), now), key, port);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    System.out.println(simulator.baseUri());
    System.err.println("Vapi simulator at " + simulator.baseUri() + " with " + calls + " calls over " + days + " days");
    simulator.closed.await();
  }

  // ---------------------------------------------------------------------------------------------

  private enum Fault { NONE, RATE_LIMITED, SERVER_ERROR, TRUNCATED, MALFORMED, STALLED }

  private static final class Decision {
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
  }

  /** A response body written through a JSON generator. */
  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /** A response that could not be produced as asked: answered with its status and messages. */
  private static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String error;
    final transient Object message;

    Rejection(int status, String error, Object message) {
      super(error, null, false, false);
      this.status = status;
      this.error = error;
      this.message = message;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrivedNanos = System.nanoTime();
    Instant arrived = Instant.now();
    requestCount.incrementAndGet();
    String path = exchange.getRequestURI().getRawPath();
    Pending pending = new Pending(exchange.getRequestMethod(), path, arrived);
    PENDING.set(pending);
    try {
      try {
        checkRetryAfter(arrivedNanos, arrived, path);
        pending.query.putAll(decode(exchange.getRequestURI().getRawQuery()));
        Decision decision = decide();
        if (decision.delayed) {
          pause(decision.delay);
        }
        respond(exchange, path, pending.query, decision, pending);
      } catch (Rejection rejection) {
        sendError(exchange, rejection.status, rejection.error, rejection.message, Map.of());
      }
      // A broken body leaves by exception instead, so the server drops the connection.
      exchange.close();
    } finally {
      pending.record(500);
      PENDING.remove();
    }
  }

  /**
   * The request being answered on this thread; it is recorded just before its headers go out,
   * so a client that has its answer always finds its request in {@link #requests()}.
   */
  private final class Pending {
    final String method;
    final String path;
    final Instant arrived;
    final Map<String, String> query = new LinkedHashMap<>();
    int results = -1;
    boolean recorded;

    Pending(String method, String path, Instant arrived) {
      this.method = method;
      this.path = path;
      this.arrived = arrived;
    }

    void record(int status) {
      if (!recorded) {
        recorded = true;
        VapiSimulator.this.record(new RecordedRequest(method, path, query, status, results, arrived));
      }
    }
  }

  private void respond(
      HttpExchange exchange, String path, Map<String, String> query, Decision decision, Pending pending)
      throws IOException, Rejection {
    int faultStatus =
        decision.scriptedStatus != 0
            ? decision.scriptedStatus
            : decision.fault == Fault.RATE_LIMITED ? 429 : decision.fault == Fault.SERVER_ERROR ? 500 : 0;
    if (faultStatus != 0) {
      sendFault(exchange, faultStatus, decision.faults);
      return;
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null
        || !MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
      throw new Rejection(
          401, "Unauthorized",
          "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.");
    }
    String method = exchange.getRequestMethod();
    if (!"GET".equals(method)) {
      throw notFound(method, path);
    }
    Body body;
    if (path.equals("/call")) {
      List<SimulatedCall> calls = listCalls(query);
      pending.results = calls.size();
      body = arrayOf(calls);
    } else if (path.startsWith("/call/") && path.length() > "/call/".length()) {
      body = oneCall(URLDecoder.decode(path.substring("/call/".length()), StandardCharsets.UTF_8), query);
    } else if (path.equals("/v2/call") && v2Route) {
      body = pageOfCalls(query, pending);
    } else if (path.equals("/assistant")) {
      body = assistants(query);
    } else {
      throw notFound(method, path);
    }
    sendJson(exchange, 200, body, decision.fault);
  }

  private List<SimulatedCall> listCalls(Map<String, String> query) throws Rejection {
    Map<String, Instant> bounds = validate(query, CALL_PARAMS);
    int limit = limit(query);
    return data.select(
        CallQuery.of(query, bounds), limit, order, new SplittableRandom(shuffleSeed.incrementAndGet()));
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
    validate(query, Set.of());
    SimulatedCall call =
        data.call(id).orElseThrow(() -> new Rejection(404, "Not Found", "Call not found"));
    return g -> new CallJson(heavyFields).write(g, call);
  }

  private Body pageOfCalls(Map<String, String> query, Pending pending) throws Rejection {
    Map<String, Instant> bounds = validate(query, V2_PARAMS);
    int limit = limit(query);
    int page = number(query, "page", 1, 1, Integer.MAX_VALUE);
    String sortOrder = query.getOrDefault("sortOrder", "DESC");
    if (!sortOrder.equals("ASC") && !sortOrder.equals("DESC")) {
      throw new Rejection(400, "Bad Request", List.of("sortOrder must be one of the following values: ASC, DESC"));
    }
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

  private Body assistants(Map<String, String> query) throws Rejection {
    Map<String, Instant> bounds = validate(query, ASSISTANT_PARAMS);
    int limit = limit(query);
    CallQuery window = CallQuery.of(Map.of(), bounds);
    List<SimulatorData.Assistant> matching = new ArrayList<>();
    for (SimulatorData.Assistant assistant : data.assistants()) {
      long at = assistant.createdAt().toEpochMilli();
      boolean inWindow =
          at >= window.createdFrom && at < window.createdTo && at >= window.updatedFrom && at < window.updatedTo;
      if (inWindow && matching.size() < limit) {
        matching.add(assistant);
      }
    }
    return g -> {
      g.writeStartArray();
      for (SimulatorData.Assistant assistant : matching) {
        String at = IsoMillis.format(assistant.createdAt().toEpochMilli());
        g.writeStartObject();
        g.writeStringField("id", assistant.id());
        g.writeStringField("orgId", data.orgId());
        g.writeStringField("name", assistant.name());
        g.writeStringField("createdAt", at);
        g.writeStringField("updatedAt", at);
        g.writeObjectFieldStart("model");
        g.writeStringField("provider", "openai");
        g.writeStringField("model", "gpt-4o");
        g.writeEndObject();
        g.writeObjectFieldStart("voice");
        g.writeStringField("provider", "11labs");
        g.writeStringField("voiceId", "burt");
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    };
  }

  /** NestJS-style validation: every problem is listed, unknown parameters included. */
  private static Map<String, Instant> validate(Map<String, String> query, Set<String> allowed)
      throws Rejection {
    List<String> problems = new ArrayList<>();
    Map<String, Instant> bounds = new LinkedHashMap<>();
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      String name = parameter.getKey();
      if (allowed.contains(name)) {
        continue;
      }
      if (allowed.isEmpty() || !TIME_BOUNDS.contains(name)) {
        problems.add("property " + name + " should not exist");
        continue;
      }
      try {
        // Vapi's validator takes four-digit years only; Java's parser would also read +10000-01-01.
        if (!FOUR_DIGIT_YEAR.matcher(parameter.getValue()).lookingAt()) {
          throw new DateTimeParseException("not a four-digit year", parameter.getValue(), 0);
        }
        bounds.put(name, ZonedDateTime.parse(parameter.getValue(), DateTimeFormatter.ISO_DATE_TIME).toInstant());
      } catch (DateTimeParseException e) {
        problems.add(name + " must be a valid ISO 8601 date string");
      }
    }
    String limit = query.get("limit");
    if (limit != null && allowed.contains("limit")) {
      try {
        double value = Double.parseDouble(limit);
        if (value > MAX_LIMIT) {
          problems.add("limit must not be greater than " + MAX_LIMIT);
        } else if (value < 0) {
          problems.add("limit must not be less than 0");
        }
      } catch (NumberFormatException e) {
        problems.add("limit must be a number conforming to the specified constraints");
      }
    }
    if (!problems.isEmpty()) {
      throw new Rejection(400, "Bad Request", problems);
    }
    return bounds;
  }

  private static int limit(Map<String, String> query) throws Rejection {
    return number(query, "limit", DEFAULT_LIMIT, 0, MAX_LIMIT);
  }

  private static int number(Map<String, String> query, String name, int fallback, int min, int max)
      throws Rejection {
    String text = query.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text);
      if (value < min || value > max) {
        throw new Rejection(400, "Bad Request", List.of(name + " must be between " + min + " and " + max));
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw new Rejection(400, "Bad Request", List.of(name + " must be a number conforming to the specified constraints"));
    }
  }

  private static Rejection notFound(String method, String path) {
    return new Rejection(404, "Not Found", "Cannot " + method + " " + path);
  }

  private Decision decide() {
    synchronized (faultLock) {
      Integer status = scripted.poll();
      if (status != null) {
        return new Decision(Fault.NONE, status, false, Duration.ZERO, faults);
      }
      Faults f = faults;
      double draw = faultRandom.nextDouble();
      boolean delayed = faultRandom.nextDouble() < f.delayed();
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

  private void sendFault(HttpExchange exchange, int status, Faults f) throws IOException {
    Map<String, String> headers = Map.of();
    String error = status == 429 ? "Too Many Requests" : status >= 500 ? "Internal Server Error" : "Error";
    String message = status == 429 ? "Rate limit exceeded" : status >= 500 ? "Internal server error" : error;
    if (status == 429) {
      headers = retryAfter(f);
    }
    sendError(exchange, status, error, message, headers);
  }

  /** The 429's header, remembering the earliest time the next request may arrive. */
  private Map<String, String> retryAfter(Faults f) {
    synchronized (faultLock) {
      Faults.RetryAfterStyle style = f.retryAfterStyle();
      if (style == Faults.RetryAfterStyle.NONE) {
        return Map.of();
      }
      if (style == Faults.RetryAfterStyle.MIXED) {
        style =
            rateLimitCount.getAndIncrement() % 2 == 0
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

  private void checkRetryAfter(long arrivedNanos, Instant arrived, String path) {
    synchronized (faultLock) {
      if (notBeforeNanos != 0 && arrivedNanos < notBeforeNanos) {
        retryAfterViolations.add(
            path + " arrived " + (notBeforeNanos - arrivedNanos) / 1_000_000 + " ms before Retry-After (seconds)");
      }
      if (notBeforeEpochMilli != 0 && arrived.toEpochMilli() < notBeforeEpochMilli) {
        retryAfterViolations.add(
            path + " arrived " + (notBeforeEpochMilli - arrived.toEpochMilli()) + " ms before Retry-After (date)");
      }
      notBeforeNanos = 0;
      notBeforeEpochMilli = 0;
    }
  }

  private void sendError(
      HttpExchange exchange, int status, String error, Object message, Map<String, String> headers)
      throws IOException {
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    sendJson(
        exchange,
        status,
        g -> {
          g.writeStartObject();
          if (message instanceof List) {
            g.writeArrayFieldStart("message");
            for (Object item : (List<?>) message) {
              g.writeString(String.valueOf(item));
            }
            g.writeEndArray();
          } else {
            g.writeStringField("message", String.valueOf(message));
          }
          g.writeStringField("error", error);
          g.writeNumberField("statusCode", status);
          g.writeEndObject();
        },
        Fault.NONE);
  }

  private void sendJson(HttpExchange exchange, int status, Body body, Fault fault) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (fault == Fault.TRUNCATED || fault == Fault.MALFORMED || fault == Fault.STALLED) {
      sendBroken(exchange, status, body, fault);
      return;
    }
    String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    boolean compress = gzip && accepted != null && accepted.contains("gzip");
    if (compress) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    // Rendered first and sent with a Content-Length: the JDK server's chunked encoding costs
    // more CPU than rendering the page on loopback. The buffer is the handler thread's own and
    // kept, so multi-megabyte pages do not churn the heap.
    PageBuffer buffer = PAGE_BUFFER.get();
    buffer.reset();
    try (OutputStream target = compress ? new GZIPOutputStream(buffer, 64 * 1024) : buffer;
        JsonGenerator g = JSON.createGenerator(target)) {
      body.write(g);
    }
    recordAnswer(status);
    exchange.sendResponseHeaders(status, buffer.size() == 0 ? -1 : buffer.size());
    try (OutputStream out = exchange.getResponseBody()) {
      buffer.sendTo(out);
    }
    if (buffer.capacity() > PageBuffer.KEEP_AT_MOST) {
      PAGE_BUFFER.remove();
    }
  }

  /** A growable byte buffer, reused per thread; closing it does nothing. */
  private static final class PageBuffer extends ByteArrayOutputStream {
    /** Pages of 1000 heavy calls are about 3 MB; an unusual bigger one is not kept. */
    static final int KEEP_AT_MOST = 8 * 1024 * 1024;

    PageBuffer() {
      super(256 * 1024);
    }

    int capacity() {
      return buf.length;
    }

    /** At most 64 KiB per write, which keeps the server's socket buffer small. */
    void sendTo(OutputStream out) throws IOException {
      for (int at = 0; at < count; at += 64 * 1024) {
        out.write(buf, at, Math.min(64 * 1024, count - at));
      }
    }
  }

  /** A body cut half-way: connection closed, cleanly ended, or stalled until the client leaves. */
  private void sendBroken(HttpExchange exchange, int status, Body body, Fault fault) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      body.write(g);
    }
    byte[] bytes = buffer.toByteArray();
    int half = bytes.length / 2;
    recordAnswer(status);
    if (fault == Fault.TRUNCATED) {
      exchange.sendResponseHeaders(status, bytes.length);
      OutputStream out = exchange.getResponseBody();
      out.write(bytes, 0, half);
      out.flush();
      // An exception out of the handler makes the server drop the connection mid-body.
      throw new IOException("simulated truncated body");
    }
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    out.write(bytes, 0, half);
    out.flush();
    if (fault == Fault.MALFORMED) {
      out.close();
      return;
    }
    try {
      closed.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IOException("simulated stalled body");
  }

  private static void recordAnswer(int status) {
    Pending pending = PENDING.get();
    if (pending != null) {
      pending.record(status);
    }
  }

  private void record(RecordedRequest request) {
    synchronized (recorded) {
      if (recorded.size() == RECORDED_MAX) {
        recorded.removeFirst();
      }
      recorded.addLast(request);
    }
  }

  private void pause(Duration delay) {
    try {
      closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, String> decode(String rawQuery) throws Rejection {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.put(name, value);
      } catch (IllegalArgumentException e) {
        throw new Rejection(400, "Bad Request", List.of("malformed query string"));
      }
    }
    return query;
  }

  private static Set<String> params(String... names) {
    return Set.of(names);
  }
}
