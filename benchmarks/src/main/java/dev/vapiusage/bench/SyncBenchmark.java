package dev.vapiusage.bench;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.application.ConnectCommand;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.application.SyncSettings;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.bootstrap.Wiring;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The sync benchmark (issue 6): a full range sync of N calls from the Vapi simulator into
 * PostgreSQL through the real SyncUsage use case, beside a plain {@code COPY} of the same calls
 * into a table shaped like {@code usage_call}, measured in the same run on a scratch schema.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/vapi-usage-benchmarks.jar dev.vapiusage.bench.SyncBenchmark \
 *     [--url jdbc:postgresql://127.0.0.1:5432/test] [--user postgres] [--password …] \
 *     [--calls 1000000] [--light] [--keep]
 * </pre>
 *
 * The database options default to DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD. The simulator
 * runs in this JVM (its heap counts in the peak) and renders every answer as it is asked for, on
 * the same cores as the client and the database; {@code --light} leaves the heavy fields (messages,
 * artifact, analysis) out of the answers. Target: sync ≥ 0.6 × COPY.
 */
public final class SyncBenchmark {
  private static final String USAGE =
      "usage: SyncBenchmark [--url JDBC_URL] [--user U] [--password P] [--calls 1000000] [--light] [--keep]";
  private static final String VAPI_KEY = "sk-sync-benchmark";
  private static final String SECRET = "sync-benchmark-secret-0123456789abcdef";
  private static final UserId USER = UserId.of("bench-sync");
  private static final int COPY_PIECE = 64 * 1024;
  private static final int WARM_UP_DAYS = 30;

  private SyncBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchSupport.ownJvm(true);
    Map<String, String> options = BenchSupport.options(args, Set.of("light", "keep"), USAGE);
    int calls = Integer.parseInt(options.getOrDefault("calls", "1000000"));
    boolean light = options.containsKey("light");

    Instant to = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    // 300 days: a range sync covers at most 366.
    Instant from = to.minus(Duration.ofDays(300));
    DateRange range =
        new DateRange(
            LocalDate.ofInstant(from, ZoneOffset.UTC),
            LocalDate.ofInstant(to, ZoneOffset.UTC),
            ZoneOffset.UTC);
    BenchSupport.Scratch scratch = BenchSupport.Scratch.create(options, "bench_sync");
    try (VapiSimulator simulator =
            VapiSimulator.start(SimulatorData.generated(42, calls, from, to), VAPI_KEY);
        Database database =
            Database.connect(
                scratch.schemaUrl(), scratch.user(), scratch.password(), scratch.schema());
        BenchSupport.HeapSampler heap = new BenchSupport.HeapSampler()) {
      simulator.heavyFields(!light);
      System.out.printf(
          "Sync benchmark: %,d calls over %s..%s, simulator in this JVM (%s bodies), %s, scratch schema %s%n",
          calls,
          range.start(),
          range.end(),
          light ? "light" : "full",
          database.productVersion(),
          scratch.schema());
      System.out.printf(
          "JVM %s, %d cores, max heap %s%n%n",
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          BenchSupport.mib(BenchSupport.HeapSampler.max()));

      KeyVault vault = database.keyVault(SECRET);
      VapiClient vapi = Wiring.vapiClient(simulator.baseUri());
      new ConnectVapi(database.integrations(), vault, vapi, Clock.systemUTC())
          .connect(new ConnectCommand(USER, ApiKey.of(VAPI_KEY)));
      Progress progress = new Progress();
      SyncUsage sync =
          new SyncUsage(
              database.integrations(),
              vault,
              vapi,
              database.usage(),
              database.syncLease(),
              database.syncCursors(),
              Clock.systemUTC(),
              SyncSettings.DEFAULTS,
              progress);

      // Warm-up: the JIT compiles the simulator's and the client's paths on the first 30 days'
      // calls (a tenth of 300) for another user, so neither measurement pays for most of it.
      UserId warmUp = UserId.of("bench-warm-up");
      new ConnectVapi(database.integrations(), vault, vapi, Clock.systemUTC())
          .connect(new ConnectCommand(warmUp, ApiKey.of(VAPI_KEY)));
      sync.sync(
          SyncCommand.ofRange(
              warmUp,
              new DateRange(range.start(), range.start().plusDays(WARM_UP_DAYS), ZoneOffset.UTC)));
      copy(
          scratch,
          simulator,
          CallWindow.created(from, from.plus(Duration.ofDays(WARM_UP_DAYS))),
          "copy_warm_up");

      scratch.checkpoint();
      heap.reset();
      long started = System.nanoTime();
      long copied =
          copy(scratch, simulator, CallWindow.created(from, to.plusMillis(1)), "copy_scratch");
      double copySeconds = BenchSupport.seconds(started);
      long copyHeap = heap.peak();
      System.out.printf(
          "COPY of %,d call rows into a table shaped like usage_call: %.1f s, %,.0f rows/s (peak heap %s)%n",
          copied, copySeconds, copied / copySeconds, BenchSupport.mib(copyHeap));

      scratch.checkpoint();
      System.gc();
      heap.reset();
      progress.started = System.nanoTime();
      started = System.nanoTime();
      SyncResult result = sync.sync(SyncCommand.ofRange(USER, range));
      double syncSeconds = BenchSupport.seconds(started);
      long syncHeap = heap.peak();
      System.out.printf(
          "Sync of %,d calls from the simulator through SyncUsage: %.1f s, %,.0f calls/s%n",
          result.syncedCalls(), syncSeconds, result.syncedCalls() / syncSeconds);
      System.out.printf(
          "  peak heap in use %s, peak left after a GC %s, of a %s maximum%n",
          BenchSupport.mib(syncHeap),
          BenchSupport.mib(heap.peakAfterGc()),
          BenchSupport.mib(BenchSupport.HeapSampler.max()));
      long stored =
          count(scratch, "SELECT count(*) FROM usage_call WHERE user_id = '" + USER.value() + "'");
      if (result.syncedCalls() != calls || stored != calls) {
        throw new IllegalStateException(
            "synced " + result.syncedCalls() + ", stored " + stored + ", expected " + calls);
      }
      double ratio = (result.syncedCalls() / syncSeconds) / (copied / copySeconds);
      System.out.printf(
          "%nsync / COPY = %.2f (target >= 0.60): %s%n", ratio, ratio >= 0.6 ? "met" : "NOT met");
    } finally {
      if (options.containsKey("keep")) {
        System.out.println("kept schema " + scratch.schema());
      } else {
        scratch.close();
      }
    }
  }

  /** Prints a progress line every ten seconds, so a long run shows it is alive. */
  private static final class Progress implements SyncListener {
    volatile long started = System.nanoTime();
    private long lastPrinted = System.nanoTime();

    @Override
    public void progress(UserId userId, long callsStored, long callsChanged, Instant reached) {
      if (!userId.equals(USER) || System.nanoTime() - lastPrinted < 10_000_000_000L) {
        return;
      }
      lastPrinted = System.nanoTime();
      System.out.printf(
          "  %,d calls stored, %,.0f calls/s, reached %s%n",
          callsStored, callsStored / BenchSupport.seconds(started), reached);
    }
  }

  /**
   * COPYs the simulator's calls of a window, as the rows usage_call would hold, into a new table
   * with usage_call's columns, keys and indexes; the rows are formatted as they are sent.
   */
  private static long copy(
      BenchSupport.Scratch scratch, VapiSimulator simulator, CallWindow window, String table)
      throws SQLException {
    try (Connection c = scratch.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + table + " (LIKE usage_call INCLUDING ALL)");
      }
      CopyIn copy =
          c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN");
      try {
        StringBuilder text = new StringBuilder(COPY_PIECE + 1024);
        simulator
            .data()
            .forEachCall(
                window,
                call -> {
                  row(text, call.toCallRecord());
                  if (text.length() >= COPY_PIECE) {
                    send(copy, text);
                  }
                });
        send(copy, text);
        return copy.endCopy();
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
    }
  }

  private static void send(CopyIn copy, StringBuilder text) {
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    try {
      copy.writeToCopy(bytes, 0, bytes.length);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    text.setLength(0);
  }

  /**
   * One row in COPY text format; Vapi's ids, types and reasons hold no tab, newline or backslash.
   */
  private static void row(StringBuilder text, CallRecord call) {
    field(text, USER.value());
    field(text, call.id());
    field(text, call.orgId());
    field(text, call.createdAt());
    field(text, call.updatedAt());
    field(text, call.startedAt());
    field(text, call.endedAt());
    field(text, call.durationMicros().isPresent() ? call.durationMicros().getAsLong() : null);
    field(text, call.type());
    field(text, call.status());
    field(text, call.endedReason());
    field(text, call.assistantId());
    field(text, call.cost() == null ? null : call.cost().toPlainString());
    CostComponents costs = call.costs();
    for (BigDecimal amount :
        new BigDecimal[] {
          costs.transport(), costs.stt(), costs.llm(), costs.tts(), costs.vapi(), costs.analysis()
        }) {
      field(text, amount.toPlainString());
    }
    text.setCharAt(text.length() - 1, '\n');
  }

  private static void field(StringBuilder text, Object value) {
    text.append(value == null ? "\\N" : value.toString()).append('\t');
  }

  private static long count(BenchSupport.Scratch scratch, String sql) throws SQLException {
    try (Connection c = scratch.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
