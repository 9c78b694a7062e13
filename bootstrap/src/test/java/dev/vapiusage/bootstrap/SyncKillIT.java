package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.persistence.PostgresTestDatabase;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.application.ConnectCommand;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncRunRecord;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command-line sync killed by real process kills at random points: what it stored stays right
 * and the next run completes it.
 */
class SyncKillIT {
  /** 200,000 by default; {@code -Dvapiusage.kill.calls=…} for a quicker or a bigger run. */
  private static final int CALLS = Integer.getInteger("vapiusage.kill.calls", 200_000);

  private static final int KILLS = 20;
  private static final long SEED = Long.getLong("vapiusage.kill.seed", 20_261_125L);
  private static final String SECRET = "sync-kill-test-secret-0123456789abcdef";
  private static final String VAPI_KEY = "sk-kill-test-key-7f3a";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static VapiSimulator simulator;
  private static PostgresTestDatabase.Target target;
  private static Database database;
  private static Services services;
  private static DateRange range;
  private static Map<String, CallRecord> truth;

  /**
   * The simulator's calls as a table in a schema of their own, so a check of every stored row is
   * one query.
   */
  private static String truthTable;

  @BeforeAll
  static void start() {
    Instant to = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
    Instant from = to.minus(Duration.ofDays(40));
    simulator = VapiSimulator.start(SimulatorData.generated(SEED, CALLS, from, to), VAPI_KEY);
    // Light bodies keep the 20 restarts of 200,000 calls within the test's time budget on two
    // cores; what is stored, and so what a kill can break, is the same either way.
    simulator.heavyFields(false);
    range =
        new DateRange(
            LocalDate.ofInstant(from, ZoneOffset.UTC),
            LocalDate.ofInstant(to, ZoneOffset.UTC),
            ZoneOffset.UTC);
    truth = new HashMap<>(CALLS * 2);
    simulator
        .data()
        .forEachCall(
            CallWindow.created(Instant.EPOCH, to.plusSeconds(1)),
            c -> truth.put(c.id(), c.toCallRecord()));
    assertThat(truth).hasSize(CALLS);

    target = PostgresTestDatabase.freshSchema();
    database =
        Database.connect(target.jdbcUrl(), target.user(), target.password(), target.schema());
    VapiClient client = new VapiClient(VapiClientConfig.forBaseUri(simulator.baseUri()));
    services =
        new Services(
            database,
            database.keyVault(SECRET),
            client,
            Clock.systemUTC(),
            Duration.ofMinutes(5),
            SyncListener.NONE);
    // The simulator runs in this JVM: warm its JSON path up first, or the uninterrupted run that
    // sets the kill points measures the JIT instead of the sync.
    client.stream(
        ApiKey.of(VAPI_KEY), CallWindow.created(from, from.plus(Duration.ofDays(10))), batch -> {});
    truthTable = loadTruthTable();
  }

  @AfterAll
  static void stop() {
    database.close();
    simulator.close();
  }

  @Test
  void
      aRangeSyncKilledAtTwentyRandomPointsAndRestartedEachTime_endsWithTheUninterruptedTotalsAndNoDuplicates()
          throws Exception {
    UserId steady = connected("steady");
    UserId killed = connected("killed");

    long started = System.nanoTime();
    JarProcess uninterrupted = runToEnd(steady);
    long freshMillis = (System.nanoTime() - started) / 1_000_000;
    assertCompleted(uninterrupted);
    UsageMetrics expected = truthOf(truth.values());
    UsageMetrics steadyTotals = database.usage().aggregate(steady, range);
    SyncEngineTest.assertSameMetrics(steadyTotals, expected);
    started = System.nanoTime();
    assertCompleted(runToEnd(steady));
    long againMillis = (System.nanoTime() - started) / 1_000_000;
    SyncEngineTest.assertSameMetrics(database.usage().aggregate(steady, range), expected);
    System.out.printf(
        "uninterrupted CLI sync of %,d calls: %,d ms into an empty table, %,d ms again over the stored calls%n",
        CALLS, freshMillis, againMillis);
    System.out.println(
        "  " + uninterrupted.err.stream().filter(l -> l.startsWith("sync: ")).toList());

    // The points are spread over the shortest a run can take (over calls already stored, less a
    // margin for its variation), so that nearly every one falls inside a run: restarts re-read
    // what earlier runs stored faster than they insert, and a point past a run's end kills
    // nothing. One point lands in each twentieth, in shuffled order, so kills hit start-up,
    // inserting and re-reading alike.
    Random random = new Random(SEED);
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      delays.add((long) ((i + random.nextDouble()) / KILLS * 0.85 * againMillis));
    }
    Collections.shuffle(delays, random);

    List<Kill> kills = new ArrayList<>();
    int endedBeforeKill = 0;
    long loopStarted = System.nanoTime();
    for (long point : delays) {
      long delay = point;
      while (true) {
        // Started at once after the kill: the dead run's lease is taken over, not waited out.
        Instant processStarted = Instant.now();
        JarProcess run = startSync(killed);
        if (!run.process.waitFor(delay, TimeUnit.MILLISECONDS)) {
          run.process.destroyForcibly();
          assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
          kills.add(
              new Kill(
                  processStarted,
                  Instant.now(),
                  delay,
                  run.err.stream().anyMatch(l -> l.startsWith("sync: "))));
          assertConsistent(killed, kills.size() % 4 == 0);
          break;
        }
        // It finished before its kill point: it must have completed, not been refused; the
        // point is then tried again a little earlier, so that twenty runs are really killed.
        Thread.sleep(100);
        assertCompleted(run);
        assertConsistent(killed, false);
        endedBeforeKill++;
        delay = delay * 4 / 5;
      }
    }

    JarProcess last = runToEnd(killed);
    assertCompleted(last);
    System.out.printf(
        "kill points (ms after start): %s; %d killed, %d runs ended before their point;"
            + " kills, checks and the last run took %,d ms%n",
        kills.stream().map(Kill::delayMillis).toList(),
        kills.size(),
        endedBeforeKill,
        (System.nanoTime() - loopStarted) / 1_000_000);

    assertThat(kills).as("runs really killed").hasSize(KILLS);
    assertThat(duplicateRows()).as("duplicate rows").isEmpty();
    assertThat(storedRows(killed)).isEqualTo(CALLS);
    SyncEngineTest.assertSameMetrics(database.usage().aggregate(killed, range), steadyTotals);
    SyncEngineTest.assertSameMetrics(database.usage().aggregate(killed, range), expected);
    assertStoredRowsMatchTruth(killed);

    List<SyncRunRecord> history = database.syncRuns().history(killed, 1_000);
    assertThat(history.get(0).outcome().status()).isEqualTo(SyncStatus.COMPLETED);
    assertThat(history.get(0).outcome().callsSeen()).isEqualTo(CALLS);
    assertThat(history.stream().filter(r -> r.finished().isEmpty()))
        .as("runs left running")
        .isEmpty();
    // Each killed run that had taken its lease was recorded as failed by the run that took the
    // lease over, and each such record lies within the life of one killed process.
    List<SyncRunRecord> taken =
        history.stream()
            .filter(
                r ->
                    r.outcome().status() == SyncStatus.FAILED
                        && r.outcome().error() == ErrorCode.SYNC_FAILED)
            .toList();
    long killedWhileStoring = kills.stream().filter(Kill::sawProgress).count();
    assertThat(taken.size())
        .as("killed runs recorded as failed")
        .isBetween((int) killedWhileStoring, kills.size());
    Set<Kill> matched = new HashSet<>();
    for (SyncRunRecord run : taken) {
      Kill kill =
          kills.stream()
              .filter(
                  k ->
                      !run.run().startedAt().isBefore(k.started().minusMillis(5))
                          && run.run().startedAt().isBefore(k.killed()))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("failed run " + run + " lies in no killed process"));
      assertThat(matched.add(kill)).as("one failed run per killed process").isTrue();
    }
    assertThat(database.integrations().find(killed).orElseThrow().sync().lastStatus())
        .hasValue(SyncStatus.COMPLETED);
    System.out.printf(
        "run records of the killed user: %d, of which %d killed (taken over) and %d completed%n",
        history.size(),
        taken.size(),
        history.stream().filter(r -> r.outcome().status() == SyncStatus.COMPLETED).count());
  }

  // ---------------------------------------------------------------------------------------------

  /** A killed process: when it started and was killed, and whether it had printed progress. */
  private record Kill(Instant started, Instant killed, long delayMillis, boolean sawProgress) {}

  private static UserId connected(String name) {
    UserId user = UserId.of(name);
    services.connect.connect(new ConnectCommand(user, ApiKey.of(VAPI_KEY)));
    return user;
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("DATABASE_URL", target.jdbcUrl());
    env.put("DATABASE_SCHEMA", target.schema());
    if (target.user() != null) {
      env.put("DATABASE_USER", target.user());
    }
    if (target.password() != null) {
      env.put("DATABASE_PASSWORD", target.password());
    }
    env.put("ENCRYPTION_KEY", SECRET);
    env.put("VAPI_BASE_URL", simulator.baseUri().toString());
    return env;
  }

  private static JarProcess startSync(UserId user) throws Exception {
    return JarProcess.start(
        env(),
        "sync",
        "--user",
        user.value(),
        "--start",
        range.start().toString(),
        "--end",
        range.end().toString());
  }

  private static JarProcess runToEnd(UserId user) throws Exception {
    JarProcess run = startSync(user);
    if (!run.process.waitFor(180, TimeUnit.SECONDS)) {
      run.close();
      throw new AssertionError("sync did not end: " + run.err);
    }
    Thread.sleep(100);
    return run;
  }

  private static boolean isRefused(JarProcess run) {
    return run.exitCode() == 1 && run.lastOut().contains("sync_in_progress");
  }

  private static void assertCompleted(JarProcess run) throws Exception {
    assertThat(run.exitCode()).as("exit code; stdout=%s stderr=%s", run.out, run.err).isZero();
    JsonNode result = JSON.readTree(run.lastOut());
    assertThat(result.get("status").asText()).isEqualTo("completed");
    assertThat(result.get("syncedCalls").asLong()).isEqualTo(CALLS);
  }

  /**
   * A killed run keeps its user's lease until the lease runs out (two minutes after its last
   * batch), and until then every new run of the user is refused with sync_in_progress. Twenty such
   * waits do not fit a test; this ends the dead run's lease as the passing of time would. Nothing
   * else runs the user meanwhile, so a live lease here can only be a dead run's.
   */
  /**
   * What a kill must never leave: duplicates, rows unlike Vapi's, or (when asked) rollups unlike
   * the rows.
   */
  private static void assertConsistent(UserId user, boolean withRollups) throws SQLException {
    assertThat(duplicateRows()).as("duplicate rows").isEmpty();
    assertStoredRowsMatchTruth(user);
    if (!withRollups) {
      // Rebuilding the rollups of every day costs seconds: the dashboard's figures are checked
      // after every fourth kill and at the end.
      return;
    }
    List<CallRecord> storedCalls = new ArrayList<>();
    try (Connection c = jdbc();
        PreparedStatement s =
            c.prepareStatement("SELECT call_id FROM usage_call WHERE user_id = ?")) {
      s.setString(1, user.value());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          storedCalls.add(truth.get(rs.getString(1)));
        }
      }
    }
    // The dashboard's figures come from rollups: they must equal the rows stored so far.
    SyncEngineTest.assertSameMetrics(database.usage().aggregate(user, range), truthOf(storedCalls));
  }

  /** Every stored row of the user equals the simulator's version of its call. */
  private static void assertStoredRowsMatchTruth(UserId user) throws SQLException {
    List<String> wrong = new ArrayList<>();
    try (Connection c = jdbc();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT u.call_id FROM usage_call u LEFT JOIN "
                    + truthTable
                    + " t ON t.call_id = u.call_id"
                    + " WHERE u.user_id = ? AND (t.call_id IS NULL OR u.updated_at IS DISTINCT FROM t.updated_at"
                    + " OR coalesce(u.cost, 0) <> t.cost OR u.duration_us IS DISTINCT FROM t.duration_us"
                    + " OR u.status IS DISTINCT FROM t.status OR u.created_at <> t.created_at) LIMIT 5")) {
      s.setString(1, user.value());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          wrong.add(rs.getString(1));
        }
      }
    }
    assertThat(wrong).as("stored calls that differ from Vapi's").isEmpty();
  }

  private static String loadTruthTable() {
    String table = PostgresTestDatabase.freshSchema().schema() + ".kill_truth";
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + table
              + " (call_id text PRIMARY KEY, created_at timestamptz NOT NULL,"
              + " updated_at timestamptz NOT NULL, cost numeric NOT NULL, duration_us bigint, status text)");
      StringBuilder rows = new StringBuilder(CALLS * 100);
      for (CallRecord call : truth.values()) {
        rows.append(call.id())
            .append('\t')
            .append(call.createdAt())
            .append('\t')
            .append(call.updatedAt())
            .append('\t')
            .append(call.costOrZero().toPlainString())
            .append('\t')
            .append(
                call.durationMicros().isPresent()
                    ? Long.toString(call.durationMicros().getAsLong())
                    : "\\N")
            .append('\t')
            .append(call.status() == null ? "\\N" : call.status())
            .append('\n');
      }
      long copied =
          c.unwrap(org.postgresql.PGConnection.class)
              .getCopyAPI()
              .copyIn("COPY " + table + " FROM STDIN", new java.io.StringReader(rows.toString()));
      assertThat(copied).isEqualTo(CALLS);
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return table;
  }

  private static UsageMetrics truthOf(Iterable<CallRecord> calls) {
    UsageAccumulator accumulator = new UsageAccumulator(range);
    accumulator.addAll(calls);
    return accumulator.toMetrics();
  }

  private static List<String> duplicateRows() throws SQLException {
    List<String> duplicates = new ArrayList<>();
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT user_id, call_id, count(*) FROM usage_call GROUP BY user_id, call_id HAVING count(*) > 1")) {
      while (rs.next()) {
        duplicates.add(rs.getString(1) + "/" + rs.getString(2) + " x" + rs.getLong(3));
      }
    }
    return duplicates;
  }

  private static long storedRows(UserId user) throws SQLException {
    try (Connection c = jdbc();
        PreparedStatement s =
            c.prepareStatement("SELECT count(*) FROM usage_call WHERE user_id = ?")) {
      s.setString(1, user.value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Connection jdbc() throws SQLException {
    return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
  }
}
