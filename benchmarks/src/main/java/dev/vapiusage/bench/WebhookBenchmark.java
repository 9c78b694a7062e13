package dev.vapiusage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.bootstrap.Wiring;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.simulator.OutgoingMessage;
import dev.vapiusage.simulator.ServerMessages;
import dev.vapiusage.simulator.SimulatedCall;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import dev.vapiusage.simulator.WebhookCredential;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The push benchmark (issue 18, contract 9.4), two figures on PostgreSQL. Ingest: 32 concurrent
 * senders {@code POST} HMAC-signed end-of-call reports (distinct calls plus some duplicates) to the
 * real server's webhook route; prints reports/s and p50/p99 latency, then checks that every
 * distinct report is stored exactly once (rows, and the usage totals, equal the set sent).
 * Report-to-page: one report at a time while {@code GET /api/vapi/events} is open; prints the
 * median and p99 from the report's {@code 200} to its {@code event: usage}.
 *
 * <pre>
 * java -cp benchmarks/target/vapi-usage-benchmarks.jar dev.vapiusage.bench.WebhookBenchmark \
 *     [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres] [--password …] \
 *     [--reports 40000] [--senders 32] [--duplicates 5] [--sse-reports 200] [--keep]
 * </pre>
 *
 * The database options default to DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD (else
 * TEST_DATABASE_*). Targets: ≥ 2,000 reports/s with p99 ≤ 50 ms, every report stored once; report
 * to SSE event p99 ≤ 1 s.
 */
public final class WebhookBenchmark {
  private static final String USAGE =
      "usage: WebhookBenchmark [--url JDBC_URL] [--user U] [--password P] [--reports 40000]"
          + " [--senders 32] [--duplicates 5] [--sse-reports 200] [--keep]";
  private static final String VAPI_KEY = "sk-webhook-benchmark";
  private static final String SECRET = "webhook-benchmark-secret-0123456789abcdef";
  private static final UserId USER = UserId.of("bench-webhook");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int POOL_SIZE = 10;

  private WebhookBenchmark() {}

  /** What one ingest run measured. */
  record Ingest(
      double reportsPerSecond, double p50Millis, double p99Millis, long sent, long errors) {}

  public static void main(String[] args) throws Exception {
    BenchSupport.ownJvm(true);
    Map<String, String> options = BenchSupport.options(args, Set.of("keep"), USAGE);
    int reports = Integer.parseInt(options.getOrDefault("reports", "40000"));
    int senders = Integer.parseInt(options.getOrDefault("senders", "32"));
    int duplicatePercent = Integer.parseInt(options.getOrDefault("duplicates", "5"));
    int sseReports = Integer.parseInt(options.getOrDefault("sse-reports", "200"));

    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    BenchSupport.Scratch scratch = BenchSupport.Scratch.create(options, "bench_webhook");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(scratch.schemaUrl());
    config.setUsername(scratch.user());
    config.setPassword(scratch.password());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setPoolName("bench-webhook");
    // The reported calls are made here, not in the simulator's (empty) world: a sync that a view
    // starts finds nothing, so only the webhook can have stored them.
    SimulatorData world = SimulatorData.empty();
    try (HikariDataSource pool = new HikariDataSource(config);
        VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), VAPI_KEY)) {
      VapiUsage vapiUsage =
          VapiUsage.builder()
              .dataSource(pool)
              .databaseSchema(scratch.schema())
              .encryptionKey(SECRET)
              .vapiBaseUrl(simulator.baseUri())
              .vapiClient(Wiring::vapiClient)
              .staleAfter(Duration.ofHours(1))
              .build();
      VapiUsageHttp server = vapiUsage.standaloneServer().build().start("127.0.0.1", 0);
      URI base = URI.create("http://127.0.0.1:" + server.port());
      String token = vapiUsage.createUserToken(USER);
      vapiUsage.connect(USER, ApiKey.of(VAPI_KEY));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String webhookUrl = text(api(client, base, "GET", "/api/vapi/connect", token), "webhookUrl");
      String secret = text(api(client, base, "POST", "/api/vapi/webhook/secret", token), "secret");
      URI target = base.resolve(URI.create(webhookUrl).getRawPath());
      WebhookCredential credential = WebhookCredential.hmac(secret);

      // Rendered before the clock starts: the senders only sign and send.
      ServerMessages messages = ServerMessages.withHeavyFields(true);
      SplittableRandom random = new SplittableRandom(18);
      List<OutgoingMessage> distinct = new ArrayList<>(reports);
      BigDecimal sentCost = BigDecimal.ZERO;
      for (int i = 0; i < reports; i++) {
        Instant created = now.minus(Duration.ofMinutes(1 + random.nextInt(7 * 24 * 60)));
        SimulatedCall call =
            world.addEndedCall(created, Duration.ofSeconds(10 + random.nextInt(600)));
        sentCost = sentCost.add(call.cost());
        distinct.add(messages.endOfCallReport(call, call.updatedAt()));
      }
      // Duplicates go some way after their original, as retries would, and sometimes race it.
      List<OutgoingMessage> sends = new ArrayList<>();
      ArrayDeque<OutgoingMessage> retries = new ArrayDeque<>();
      for (OutgoingMessage report : distinct) {
        sends.add(report);
        if (random.nextInt(100) < duplicatePercent) {
          retries.add(report);
        }
        if (!retries.isEmpty() && random.nextInt(20) == 0) {
          sends.add(retries.poll());
        }
      }
      sends.addAll(retries);
      int duplicates = sends.size() - reports;
      System.out.printf(
          "Webhook benchmark: %s, %d cores, JVM %s, pool of %d connections%n",
          vapiUsage.databaseDescription(),
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          POOL_SIZE);
      System.out.printf(
          "  %,d distinct end-of-call reports (about %,d bytes each) + %,d duplicates,"
              + " HMAC-signed, %d senders over loopback%n%n",
          reports, distinct.get(0).body().length, duplicates, senders);

      List<OutgoingMessage> warmUp = new ArrayList<>();
      for (int i = 0; i < Math.min(2_000, reports / 10); i++) {
        Instant created = now.minus(Duration.ofDays(20)).plusSeconds(i);
        SimulatedCall call = world.addEndedCall(created, Duration.ofSeconds(30));
        sentCost = sentCost.add(call.cost());
        warmUp.add(messages.endOfCallReport(call, call.updatedAt()));
      }
      ingest(client, target, credential, warmUp, senders);
      Ingest run = ingest(client, target, credential, sends, senders);
      long distinctSent = (long) reports + warmUp.size();

      System.out.printf(
          "  %-26s %12s %9s %9s %10s %8s%n",
          "ingest", "reports/s", "p50 ms", "p99 ms", "sent", "errors");
      System.out.printf(
          "  %-26s %,12.0f %9.2f %9.2f %,10d %8d%n",
          "POST /api/vapi/webhook/…",
          run.reportsPerSecond(),
          run.p50Millis(),
          run.p99Millis(),
          run.sent(),
          run.errors());
      boolean fast = run.reportsPerSecond() >= 2_000 && run.p99Millis() <= 50;
      System.out.printf(
          "  target >= 2,000 reports/s and p99 <= 50 ms: %s%n", fast ? "met" : "NOT met");

      Stored stored = stored(pool);
      BigDecimal storedCost = stored.cost();
      JsonNode usage =
          api(
              client,
              base,
              "GET",
              "/api/vapi/usage?startDate="
                  + LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(30)
                  + "&endDate="
                  + LocalDate.ofInstant(now, ZoneOffset.UTC),
              token);
      long usageCalls = usage.at("/totals/calls").asLong();
      BigDecimal usageCost = usage.at("/totals/cost").decimalValue();
      boolean once =
          stored.calls() == distinctSent
              && storedCost.compareTo(sentCost) == 0
              && usageCalls == distinctSent
              && usageCost.compareTo(sentCost) == 0;
      System.out.printf(
          "  stored: %,d rows, cost %s; usage totals: %,d calls, cost %s;"
              + " sent: %,d distinct reports, cost %s: %s%n%n",
          stored.calls(),
          storedCost.toPlainString(),
          usageCalls,
          usageCost.toPlainString(),
          distinctSent,
          sentCost.toPlainString(),
          once ? "every report stored exactly once" : "NOT stored exactly once");

      double[] sse =
          reportToPage(client, base, target, credential, token, world, messages, now, sseReports);
      System.out.printf(
          "  report-to-page (200 to SSE event), %d reports one at a time: median %.1f ms,"
              + " p99 %.1f ms, max %.1f ms, %d without an event in 5 s%n",
          sseReports, sse[0], sse[1], sse[2], (long) sse[3]);
      System.out.printf(
          "  target p99 <= 1,000 ms: %s%n", sse[3] == 0 && sse[1] <= 1_000 ? "met" : "NOT met");

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

  /** Every message once, taken in turn by {@code senders} threads; each signs as it sends. */
  private static Ingest ingest(
      HttpClient client,
      URI target,
      WebhookCredential credential,
      List<OutgoingMessage> sends,
      int senders)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    long[] latencies = new long[sends.size()];
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int t = 0; t < senders; t++) {
      Thread thread =
          new Thread(
              () -> {
                int i;
                while ((i = next.getAndIncrement()) < sends.size()) {
                  OutgoingMessage message = sends.get(i);
                  long sent = System.nanoTime();
                  try {
                    if (post(client, target, credential, message) != 200) {
                      errors.incrementAndGet();
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                  latencies[i] = System.nanoTime() - sent;
                }
              },
              "webhook-sender-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = BenchSupport.seconds(started);
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return new Ingest(
        sends.size() / elapsed,
        percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6,
        sends.size(),
        errors.get());
  }

  /**
   * Median, p99 and max in milliseconds of the time from a report's {@code 200} to the next {@code
   * event: usage} line, and how many reports got no event within 5 s.
   */
  private static double[] reportToPage(
      HttpClient client,
      URI base,
      URI target,
      WebhookCredential credential,
      String token,
      SimulatorData world,
      ServerMessages messages,
      Instant now,
      int count)
      throws Exception {
    BlockingQueue<Long> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> stream =
        client.send(
            HttpRequest.newBuilder(base.resolve("/api/vapi/events"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (stream.statusCode() != 200) {
      throw new IllegalStateException("GET /api/vapi/events answered " + stream.statusCode());
    }
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  if (line.equals("event: usage")) {
                    events.add(System.nanoTime());
                  }
                }
              } catch (Exception e) {
                // The stream ends when the benchmark closes the server.
              }
            },
            "sse-reader");
    reader.setDaemon(true);
    reader.start();
    Thread.sleep(1_000);
    List<Long> latencies = new ArrayList<>();
    int missed = 0;
    for (int i = 0; i < count; i++) {
      SimulatedCall call =
          world.addEndedCall(now.minus(Duration.ofHours(1)).plusMillis(i), Duration.ofSeconds(45));
      OutgoingMessage report = messages.endOfCallReport(call, call.updatedAt());
      events.clear();
      if (post(client, target, credential, report) != 200) {
        throw new IllegalStateException("a report was refused");
      }
      long accepted = System.nanoTime();
      Long event = events.poll(5, TimeUnit.SECONDS);
      if (event == null) {
        missed++;
      } else {
        // An event read before the client saw its 200 counts as no wait at all.
        latencies.add(Math.max(0, event - accepted));
      }
      // Lets an event of this report that came late drain before the next one is timed.
      Thread.sleep(20);
    }
    stream.body().close();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    return new double[] {
      percentile(sorted, 0.50) / 1e6,
      percentile(sorted, 0.99) / 1e6,
      sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
      missed
    };
  }

  private static int post(
      HttpClient client, URI target, WebhookCredential credential, OutgoingMessage message)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
    credential.headers(message.body(), Instant.now()).forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static JsonNode api(HttpClient client, URI base, String method, String path, String token)
      throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  private static String text(JsonNode answer, String field) {
    JsonNode value = answer.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalStateException("the answer has no " + field + " (is contract 9.4 built?)");
    }
    return value.asText();
  }

  /** The user's stored calls: how many, and their cost. */
  record Stored(long calls, BigDecimal cost) {}

  private static Stored stored(HikariDataSource pool) throws Exception {
    try (Connection connection = pool.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT count(*), coalesce(sum(cost), 0) FROM usage_call WHERE user_id = ?")) {
      select.setString(1, USER.value());
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return new Stored(rs.getLong(1), rs.getBigDecimal(2));
      }
    }
  }

  private static long percentile(long[] sorted, double p) {
    return sorted.length == 0
        ? 0
        : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
  }
}
