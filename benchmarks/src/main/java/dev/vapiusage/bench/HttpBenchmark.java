package dev.vapiusage.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.bootstrap.Wiring;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP benchmark (issue 5): the real server's {@code GET /api/vapi/usage} for a user with about
 * 50,000 stored calls, beside a bare Javalin route doing one aggregate {@code SELECT} over about 50
 * rows through the same connection pool, both loaded by {@code wrk} (or, without it, a Java load
 * generator) over loopback in the same run.
 *
 * <pre>
 * java -cp benchmarks/target/vapi-usage-benchmarks.jar dev.vapiusage.bench.HttpBenchmark \
 *     [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres] [--password …] \
 *     [--calls 50000] [--seconds 15] [--connections 64] [--threads 2] [--java-load] [--keep]
 * </pre>
 *
 * The database options default to DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD. Target: the
 * usage route at ≥ 0.7 × the bare route's requests per second.
 */
public final class HttpBenchmark {
  private static final String USAGE =
      "usage: HttpBenchmark [--url JDBC_URL] [--user U] [--password P] [--calls 50000] [--seconds 15]"
          + " [--connections 64] [--threads 2] [--java-load] [--keep]";
  private static final String VAPI_KEY = "sk-http-benchmark";
  private static final String SECRET = "http-benchmark-secret-0123456789abcdef";
  private static final UserId USER = UserId.of("bench-http");

  /** As many connections as the server's own pool (Database.connect) has. */
  private static final int POOL_SIZE = 10;

  private static final String BARE_SELECT =
      "SELECT count(*), coalesce(sum(cost), 0), coalesce(sum(duration_us), 0) FROM usage_call"
          + " WHERE user_id = ? AND created_at >= ?";

  private HttpBenchmark() {}

  /** What one load run measured. */
  record Load(
      double requestsPerSecond, double p99Millis, long requests, long errors, String tool) {}

  public static void main(String[] args) throws Exception {
    BenchSupport.ownJvm(true);
    Map<String, String> options = BenchSupport.options(args, Set.of("java-load", "keep"), USAGE);
    int calls = Integer.parseInt(options.getOrDefault("calls", "50000"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
    int connections = Integer.parseInt(options.getOrDefault("connections", "64"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    boolean javaLoad = options.containsKey("java-load") || !wrkAvailable();

    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    BenchSupport.Scratch scratch = BenchSupport.Scratch.create(options, "bench_http");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(scratch.schemaUrl());
    config.setUsername(scratch.user());
    config.setPassword(scratch.password());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setPoolName("bench-http");
    try (HikariDataSource pool = new HikariDataSource(config);
        VapiSimulator simulator =
            VapiSimulator.start(
                SimulatorData.generated(
                    5, calls, now.minus(Duration.ofDays(60)), now.minusSeconds(60)),
                VAPI_KEY)) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // The server's own wiring; a stale-after of an hour keeps the view from syncing in the
      // middle of the measurement, and no background sync runs.
      VapiUsage vapiUsage =
          VapiUsage.builder()
              .dataSource(pool)
              .databaseSchema(scratch.schema())
              .encryptionKey(SECRET)
              .vapiBaseUrl(simulator.baseUri())
              .vapiClient(Wiring::vapiClient)
              .staleAfter(Duration.ofHours(1))
              .build();
      VapiUsageHttp server =
          vapiUsage
              .standaloneServer()
              .meterRegistry(registry)
              .prometheusText(registry::scrape)
              .build()
              .start("127.0.0.1", 0);
      SyncUsage sync = vapiUsage.sync();

      String token = vapiUsage.createUserToken(USER);
      vapiUsage.connect(USER, ApiKey.of(VAPI_KEY));
      LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
      SyncResult loaded =
          sync.sync(
              SyncCommand.ofRange(USER, new DateRange(today.minusDays(61), today, ZoneOffset.UTC)));
      Instant bareFrom = newestCallsFrom(pool, 50);

      Javalin bare =
          Javalin.create(c -> c.showJavalinBanner = false)
              .get(
                  "/bare",
                  ctx -> {
                    try (Connection connection = pool.getConnection();
                        PreparedStatement select = connection.prepareStatement(BARE_SELECT)) {
                      select.setString(1, USER.value());
                      select.setTimestamp(2, Timestamp.from(bareFrom));
                      try (ResultSet rs = select.executeQuery()) {
                        rs.next();
                        ctx.contentType("application/json")
                            .result(
                                "{\"calls\":"
                                    + rs.getLong(1)
                                    + ",\"cost\":"
                                    + rs.getBigDecimal(2).toPlainString()
                                    + ",\"durationUs\":"
                                    + rs.getLong(3)
                                    + "}");
                      }
                    }
                  })
              .start("127.0.0.1", 0);

      String usageUrl =
          "http://127.0.0.1:"
              + server.port()
              + "/api/vapi/usage?startDate="
              + today.minusDays(30)
              + "&endDate="
              + today;
      String bareUrl = "http://127.0.0.1:" + bare.port() + "/bare";
      String usageBody = get(usageUrl, token);
      String bareBody = get(bareUrl, null);
      System.out.printf(
          "HTTP benchmark: %s, user with %,d stored calls, %d cores, JVM %s, pool of %d connections%n",
          vapiUsage.databaseDescription(),
          loaded.syncedCalls(),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          POOL_SIZE);
      System.out.printf(
          "  usage route: GET %s (31 days, %s calls in range, %,d bytes)%n",
          usageUrl.substring(usageUrl.indexOf("/api")),
          field(usageBody, "\"calls\":"),
          usageBody.getBytes(StandardCharsets.UTF_8).length);
      System.out.printf(
          "  bare route:  GET /bare, one aggregate SELECT over the newest %s calls: %s%n",
          field(bareBody, "\"calls\":"), bareBody);
      System.out.printf(
          "  load: %s, %d threads, %d connections, %d s each after a 3 s warm-up, loopback%n%n",
          javaLoad ? "Java load generator (wrk not found)" : "wrk", threads, connections, seconds);

      load(bareUrl, null, 3, threads, connections, javaLoad);
      Load bareLoad = load(bareUrl, null, seconds, threads, connections, javaLoad);
      load(usageUrl, token, 3, threads, connections, javaLoad);
      Load usageLoad = load(usageUrl, token, seconds, threads, connections, javaLoad);

      System.out.printf(
          "  %-28s %12s %10s %12s %8s%n", "route", "req/s", "p99 ms", "requests", "errors");
      System.out.printf(
          "  %-28s %,12.0f %10.2f %,12d %8d%n",
          "bare SELECT",
          bareLoad.requestsPerSecond(),
          bareLoad.p99Millis(),
          bareLoad.requests(),
          bareLoad.errors());
      System.out.printf(
          "  %-28s %,12.0f %10.2f %,12d %8d%n",
          "GET /api/vapi/usage",
          usageLoad.requestsPerSecond(),
          usageLoad.p99Millis(),
          usageLoad.requests(),
          usageLoad.errors());
      double ratio = usageLoad.requestsPerSecond() / bareLoad.requestsPerSecond();
      System.out.printf(
          "%nusage / bare = %.2f (target >= 0.70): %s%n", ratio, ratio >= 0.7 ? "met" : "NOT met");

      bare.stop();
      server.stop();
      vapiUsage.close();
    } finally {
      if (options.containsKey("keep")) {
        System.out.println("kept schema " + scratch.schema());
      } else {
        scratch.close();
      }
    }
  }

  /** The creation time from which the user's newest {@code count} calls on are stored. */
  private static Instant newestCallsFrom(HikariDataSource pool, int count) throws Exception {
    try (Connection connection = pool.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT created_at FROM usage_call WHERE user_id = ? ORDER BY created_at DESC OFFSET ? LIMIT 1")) {
      select.setString(1, USER.value());
      select.setInt(2, count - 1);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getTimestamp(1).toInstant();
      }
    }
  }

  private static String get(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String field(String json, String name) {
    int at = json.indexOf(name);
    if (at < 0) {
      return "?";
    }
    int end = at + name.length();
    while (end < json.length()
        && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '.')) {
      end++;
    }
    return json.substring(at + name.length(), end);
  }

  private static boolean wrkAvailable() {
    try {
      Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      process.waitFor();
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static Load load(
      String url, String token, int seconds, int threads, int connections, boolean javaLoad)
      throws Exception {
    return javaLoad
        ? javaLoad(url, token, seconds, connections)
        : wrk(url, token, seconds, threads, connections);
  }

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern P99 =
      Pattern.compile("^\\s*99%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private static Load wrk(String url, String token, int seconds, int threads, int connections)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + seconds + "s",
                "--latency",
                "--timeout",
                "10s"));
    if (token != null) {
      command.addAll(List.of("-H", "Authorization: Bearer " + token));
    }
    command.add(url);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      output = String.join("\n", reader.lines().toList());
    }
    if (process.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + output);
    }
    Matcher rate = RATE.matcher(output);
    Matcher p99 = P99.matcher(output);
    Matcher total = TOTAL.matcher(output);
    if (!rate.find() || !p99.find() || !total.find()) {
      throw new IllegalStateException("cannot read wrk's output:\n" + output);
    }
    double p99Millis =
        Double.parseDouble(p99.group(1))
            * switch (p99.group(2)) {
              case "us" -> 0.001;
              case "s" -> 1000.0;
              default -> 1.0;
            };
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(output);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET_ERRORS.matcher(output);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
    }
    return new Load(
        Double.parseDouble(rate.group(1)),
        p99Millis,
        Long.parseLong(total.group(1)),
        errors,
        "wrk");
  }

  /**
   * Without wrk: one thread per connection, each sending its next request when the last is
   * answered.
   */
  private static Load javaLoad(String url, String token, int seconds, int connections)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    HttpRequest request = builder.build();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong errors = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      long[][] mine = {new long[1 << 14]};
      int[] count = {0};
      Thread worker =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline) {
                  long sent = System.nanoTime();
                  try {
                    if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()
                        != 200) {
                      errors.incrementAndGet();
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                  if (count[0] == mine[0].length) {
                    mine[0] = Arrays.copyOf(mine[0], mine[0].length * 2);
                  }
                  mine[0][count[0]++] = System.nanoTime() - sent;
                }
                synchronized (latencies) {
                  latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
              });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    double elapsed = BenchSupport.seconds(started);
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    double p99 =
        all.length == 0
            ? 0
            : all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6;
    return new Load(all.length / elapsed, p99, all.length, errors.get(), "java");
  }
}
