package dev.vapiusage.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.UsageRepository;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The export benchmark (issue 17): 1,000,000 stored calls of one user (beside another user's) in
 * PostgreSQL, downloaded as the CSV export from the real server running in its own JVM with {@code
 * -Xmx256m}, by a JDK HttpClient that reads as fast as it can, counts the lines and sums the cost
 * column exactly; the sum and the count are checked against {@code GET /api/vapi/usage}.
 *
 * <pre>
 * java -cp benchmarks/target/vapi-usage-benchmarks.jar dev.vapiusage.bench.ExportBenchmark \
 *     [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres] [--password …] \
 *     [--calls 1000000] [--other-calls 100000] [--runs 3] [--heap 256m] [--schema NAME] [--keep]
 *     [--server-jvm-option -XX:StartFlightRecording=filename=export.jfr]
 * </pre>
 *
 * The server's heap is read from its own GC log ({@code -Xlog:gc}): the peak is the most in use
 * when a collection starts (the heap only grows between collections), the floor what is left after
 * one. {@code --schema} reuses a schema kept by an earlier run ({@code --keep}) that holds the
 * calls. Target: ≥ 100,000 calls/s (median of the runs), the heap flat.
 */
public final class ExportBenchmark {
  private static final String USAGE =
      "usage: ExportBenchmark [--url JDBC_URL] [--user U] [--password P] [--calls 1000000]"
          + " [--other-calls 100000] [--runs 3] [--heap 256m] [--schema NAME] [--keep]"
          + " [--server-jvm-option OPTION]";

  /** Fixed, so a kept schema (which holds no real Vapi key) opens again with it. */
  private static final String SECRET = "export-benchmark-secret-0123456789abcdef";

  private static final UserId USER = UserId.of("bench-export");
  private static final UserId OTHER = UserId.of("bench-export-other");
  private static final String APP = "export-benchmark-server";
  private static final int BATCH = 5_000;
  private static final int DAYS = 365;
  private static final String RANGE = "startDate=2025-01-01&endDate=2025-12-31&timezone=UTC";
  private static final int COST_COLUMN = 10;
  private static final Pattern GC_LINE =
      Pattern.compile("Pause.*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  private ExportBenchmark() {}

  /** One download: what the client read and how long it took. */
  record Run(
      long calls,
      BigDecimal cost,
      long bytes,
      double seconds,
      double serverCpu,
      double databaseCpu,
      double clientCpu) {
    double callsPerSecond() {
      return calls / seconds;
    }
  }

  /** The server's heap over a span of its GC log, in bytes. */
  record Heap(int collections, long peakBefore, long minAfter, long maxAfter) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchSupport.options(args, Set.of("keep"), USAGE);
    int calls = Integer.parseInt(options.getOrDefault("calls", "1000000"));
    int otherCalls = Integer.parseInt(options.getOrDefault("other-calls", "100000"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    String heap = options.getOrDefault("heap", "256m");
    boolean reuse = options.containsKey("schema");
    BenchSupport.Scratch scratch =
        reuse
            ? new BenchSupport.Scratch(
                options.get("url"),
                options.get("user"),
                options.get("password"),
                options.get("schema"))
            : BenchSupport.Scratch.create(options, "bench_export");
    Path work = Files.createTempDirectory("export-bench");
    Process server = null;
    try {
      String version = load(scratch, calls, otherCalls);
      Map<String, String> env = new HashMap<>();
      // Names the server's connections, so the CPU of their PostgreSQL backends can be read.
      env.put(
          "DATABASE_URL",
          scratch.url() + (scratch.url().contains("?") ? "&" : "?") + "ApplicationName=" + APP);
      putIfSet(env, "DATABASE_USER", scratch.user());
      putIfSet(env, "DATABASE_PASSWORD", scratch.password());
      env.put("DATABASE_SCHEMA", scratch.schema());
      env.put("ENCRYPTION_KEY", SECRET);
      env.put("SYNC_INTERVAL", "0");
      env.put("STALE_AFTER", "0");
      String token = lastLine(runCli(env, work.resolve("users.log"), "users", "create", USER));
      int port = freePort();
      Path gcLog = work.resolve("gc.log");
      List<String> command = new ArrayList<>(javaCommand());
      command.add(1, "-Xmx" + heap);
      command.add(2, "-Xlog:gc:file=" + gcLog);
      String extra = options.get("server-jvm-option");
      if (extra != null) {
        command.add(3, extra);
      }
      command.add("serve");
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      builder.environment().put("HOST", "127.0.0.1");
      builder.environment().put("PORT", Integer.toString(port));
      builder.redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
      server = builder.start();
      String base = "http://127.0.0.1:" + port;
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      awaitHealthy(client, base, server, work.resolve("server.log"));

      JsonNode totals =
          new ObjectMapper()
              .readTree(get(client, base + "/api/vapi/usage?" + RANGE, token))
              .get("totals");
      long usageCalls = totals.get("calls").asLong();
      BigDecimal usageCost = new BigDecimal(totals.get("cost").asText());
      System.out.printf(
          "Export benchmark: %s, %d cores, JVM %s; server in its own JVM with -Xmx%s (pid %d)%n",
          version,
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"),
          heap,
          server.pid());
      System.out.printf(
          "  user %s: %,d calls stored (plus %,d of another user); usage of %s: %,d calls, cost %s%n",
          USER.value(), calls, otherCalls, RANGE, usageCalls, usageCost.toPlainString());
      System.out.printf(
          "  GET /api/vapi/calls/export?format=csv&%s, HTTP/1.1, loopback%n%n", RANGE);

      String exportUrl = base + "/api/vapi/calls/export?format=csv&" + RANGE;
      Cpu cpu = new Cpu(server, scratch);
      Run warmUp = download(client, exportUrl, token, cpu);
      check(warmUp, usageCalls, usageCost);
      System.out.printf(
          "  warm-up: %,d calls, %,d bytes in %.2f s (%,.0f calls/s)%n",
          warmUp.calls(), warmUp.bytes(), warmUp.seconds(), warmUp.callsPerSecond());
      int gcFrom = gcLines(gcLog).size();
      double[] rates = new double[runs];
      for (int i = 0; i < runs; i++) {
        Run run = download(client, exportUrl, token, cpu);
        check(run, usageCalls, usageCost);
        rates[i] = run.callsPerSecond();
        double total = run.serverCpu() + run.databaseCpu() + run.clientCpu();
        System.out.printf(
            "  run %d:   %,d calls, %,d bytes in %.2f s: %,.0f calls/s, %.0f MB/s; CPU (core-s)"
                + " server %.2f, PostgreSQL %.2f, client %.2f = %.2f, %.0f%% of %d cores%n",
            i + 1,
            run.calls(),
            run.bytes(),
            run.seconds(),
            run.callsPerSecond(),
            run.bytes() / run.seconds() / 1e6,
            run.serverCpu(),
            run.databaseCpu(),
            run.clientCpu(),
            total,
            100 * total / run.seconds() / Runtime.getRuntime().availableProcessors(),
            Runtime.getRuntime().availableProcessors());
      }
      Heap used = heap(gcLines(gcLog).subList(gcFrom, gcLines(gcLog).size()));
      Arrays.sort(rates);
      double median = rates[rates.length / 2];
      System.out.printf(
          "%n  exact sum of the cost column %s = usage's %s at 6 decimals; %,d lines = usage's"
              + " calls%n",
          warmUp.cost().toPlainString(), usageCost.toPlainString(), warmUp.calls());
      System.out.printf(
          "  server heap over the %d runs (-Xlog:gc, %d collections): peak %s in use at a"
              + " collection's start, %s to %s left after one (max %s)%n",
          runs,
          used.collections(),
          BenchSupport.mib(used.peakBefore()),
          BenchSupport.mib(used.minAfter()),
          BenchSupport.mib(used.maxAfter()),
          heap);
      System.out.printf(
          "%nexport: %,.0f calls/s (median of %d; target >= 100,000): %s%n",
          median, runs, median >= 100_000 ? "met" : "NOT met");
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor();
      }
      if (options.containsKey("keep") || reuse) {
        System.out.println("kept schema " + scratch.schema() + "; server logs in " + work);
      } else {
        scratch.close();
      }
    }
  }

  /** Stores the calls through the real repository unless the schema already holds them. */
  private static String load(BenchSupport.Scratch scratch, int calls, int otherCalls)
      throws Exception {
    try (Database database =
        Database.connect(
            scratch.schemaUrl(), scratch.user(), scratch.password(), scratch.schema())) {
      if (stored(scratch, USER) == calls && stored(scratch, OTHER) == otherCalls) {
        return database.productVersion();
      }
      long started = System.nanoTime();
      UsageRepository usage = database.usage();
      store(usage, USER, "export", calls);
      store(usage, OTHER, "other", otherCalls);
      double seconds = BenchSupport.seconds(started);
      System.out.printf(
          "loaded %,d calls through the repository in %.0f s (%,.0f calls/s)%n",
          calls + otherCalls, seconds, (calls + otherCalls) / seconds);
      try (Connection c = scratch.connect();
          Statement statement = c.createStatement()) {
        statement.execute("VACUUM ANALYZE usage_call");
      }
      scratch.checkpoint();
      return database.productVersion();
    }
  }

  private static void store(UsageRepository usage, UserId userId, String prefix, int calls) {
    for (int from = 0, b = 0; from < calls; from += BATCH, b++) {
      List<CallRecord> batch =
          PersistenceBenchmark.generate(prefix, b, Math.min(BATCH, calls - from), DAYS);
      usage.store(userId, batch);
    }
  }

  private static long stored(BenchSupport.Scratch scratch, UserId userId) throws Exception {
    try (Connection c = scratch.connect();
        PreparedStatement count =
            c.prepareStatement("SELECT count(*) FROM usage_call WHERE user_id = ?")) {
      count.setString(1, userId.value());
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Downloads the export, reading it in 64 KiB pieces: lines are counted and the cost column is
   * summed as it arrives, with a quote toggling "inside a cell" (a doubled quote toggles twice).
   */
  private static Run download(HttpClient client, String url, String token, Cpu cpu)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build();
    double[] before = cpu.read();
    long started = System.nanoTime();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "export answered "
              + response.statusCode()
              + ": "
              + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
    }
    CostSum sum = new CostSum();
    long bytes = 0;
    long lines = 0;
    int column = 0;
    boolean quoted = false;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream body = response.body()) {
      int n;
      while ((n = body.read(buffer)) > 0) {
        bytes += n;
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '"') {
            quoted = !quoted;
          } else if (quoted) {
            continue;
          } else if (b == ',') {
            column++;
          } else if (b == '\n') {
            if (lines++ > 0) {
              sum.endRow();
            }
            column = 0;
          } else if (column == COST_COLUMN && lines > 0) {
            sum.add(b);
          }
        }
      }
    }
    double seconds = BenchSupport.seconds(started);
    double[] after = cpu.read();
    return new Run(
        lines - 1,
        sum.total(),
        bytes,
        seconds,
        after[0] - before[0],
        after[1] - before[1],
        after[2] - before[2]);
  }

  /**
   * Sums decimal texts exactly: each into a long at 10 decimals, the longs into a BigDecimal when
   * the next would overflow; other texts go to BigDecimal directly.
   */
  private static final class CostSum {
    private static final int SCALE = 10;
    private final char[] text = new char[64];
    private int length;
    private long pending;
    private BigDecimal total = BigDecimal.ZERO;

    void add(byte b) {
      if (length < text.length) {
        text[length] = (char) b;
      }
      length++;
    }

    void endRow() {
      if (length == 0) {
        return;
      }
      long value = 0;
      int digits = 0;
      int scale = -1;
      boolean negative = false;
      boolean exact = length <= 20;
      for (int i = 0; i < length && exact; i++) {
        char c = text[i];
        if (c == '-' && i == 0) {
          negative = true;
        } else if (c == '.' && scale < 0) {
          scale = 0;
        } else if (c >= '0' && c <= '9') {
          value = value * 10 + (c - '0');
          digits++;
          if (scale >= 0) {
            scale++;
          }
        } else {
          exact = false;
        }
      }
      scale = Math.max(scale, 0);
      // At most 18 digits once scaled to 10 decimals: the value fits a long.
      if (exact && scale <= SCALE && digits - scale + SCALE <= 18) {
        for (int s = scale; s < SCALE; s++) {
          value *= 10;
        }
        long signed = negative ? -value : value;
        try {
          pending = Math.addExact(pending, signed);
        } catch (ArithmeticException e) {
          flush();
          pending = signed;
        }
      } else {
        total = total.add(new BigDecimal(new String(text, 0, Math.min(length, text.length))));
      }
      length = 0;
    }

    private void flush() {
      total = total.add(BigDecimal.valueOf(pending, SCALE));
      pending = 0;
    }

    BigDecimal total() {
      flush();
      return total;
    }
  }

  private static void check(Run run, long usageCalls, BigDecimal usageCost) {
    if (run.calls() != usageCalls) {
      throw new IllegalStateException(
          "the export has " + run.calls() + " calls, usage counts " + usageCalls);
    }
    BigDecimal shown = run.cost().setScale(6, RoundingMode.HALF_UP);
    if (shown.compareTo(usageCost) != 0) {
      throw new IllegalStateException(
          "the export's costs add up to "
              + run.cost().toPlainString()
              + ", usage says "
              + usageCost.toPlainString());
    }
  }

  /**
   * CPU seconds used so far by the server's process, by the PostgreSQL backends of its connections
   * (from /proc, so on the database's own machine only; NaN elsewhere) and by this process.
   */
  private static final class Cpu {
    private final Process server;
    private final BenchSupport.Scratch scratch;
    private final long ticksPerSecond;

    Cpu(Process server, BenchSupport.Scratch scratch) throws Exception {
      this.server = server;
      this.scratch = scratch;
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
      String ticks = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      this.ticksPerSecond = getconf.waitFor() == 0 ? Long.parseLong(ticks.strip()) : 100;
    }

    double[] read() throws Exception {
      return new double[] {
        seconds(server.toHandle()), database(), seconds(ProcessHandle.current())
      };
    }

    private static double seconds(ProcessHandle process) {
      return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    private double database() throws Exception {
      double total = 0;
      try (Connection c = scratch.connect();
          PreparedStatement backends =
              c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
        backends.setString(1, APP);
        try (ResultSet rs = backends.executeQuery()) {
          while (rs.next()) {
            Path stat = Path.of("/proc", Integer.toString(rs.getInt(1)), "stat");
            if (!Files.isReadable(stat)) {
              return Double.NaN;
            }
            String text = Files.readString(stat);
            // Fields after the command's closing parenthesis; utime and stime are the 14th and
            // 15th of the line.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
        }
      }
      return total / ticksPerSecond;
    }
  }

  private static List<String> gcLines(Path gcLog) throws IOException {
    return Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of();
  }

  private static Heap heap(List<String> lines) {
    int collections = 0;
    long peak = 0;
    long minAfter = Long.MAX_VALUE;
    long maxAfter = 0;
    for (String line : lines) {
      Matcher m = GC_LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      collections++;
      peak = Math.max(peak, bytes(m.group(1), m.group(2)));
      long after = bytes(m.group(3), m.group(4));
      minAfter = Math.min(minAfter, after);
      maxAfter = Math.max(maxAfter, after);
    }
    return new Heap(collections, peak, collections == 0 ? 0 : minAfter, maxAfter);
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }

  /** This JVM's java and class path, running the server's own Main. */
  private static List<String> javaCommand() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ArrayList<>(
        List.of(
            java, "-cp", System.getProperty("java.class.path"), "dev.vapiusage.bootstrap.Main"));
  }

  private static String runCli(Map<String, String> env, Path log, String... args) throws Exception {
    List<String> command = javaCommand();
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectError(log.toFile());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          String.join(" ", args) + " failed; see " + log + ":\n" + Files.readString(log));
    }
    return out;
  }

  private static String runCli(Map<String, String> env, Path log, String a, String b, UserId u)
      throws Exception {
    return runCli(env, log, new String[] {a, b, u.value()});
  }

  private static String lastLine(String out) {
    String[] lines = out.strip().split("\\R");
    return lines[lines.length - 1].strip();
  }

  private static void awaitHealthy(HttpClient client, String base, Process server, Path log)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/health")).build();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the server stopped:\n" + Files.readString(log));
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the server did not start:\n" + Files.readString(log));
  }

  private static String get(HttpClient client, String url, String token) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
    return response.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void putIfSet(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }
}
