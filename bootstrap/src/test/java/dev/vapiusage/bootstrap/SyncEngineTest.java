package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.persistence.PostgresTestDatabase;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.application.ConnectCommand;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRunRecord;
import dev.vapiusage.simulator.RecordedRequest;
import dev.vapiusage.simulator.SimulatedCall;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sync engine in process: the real SyncUsage, Vapi client and PostgreSQL against the
 * simulator's truth.
 */
class SyncEngineTest {
  private static final String SECRET = "sync-engine-test-secret-0123456789";
  private static final String VAPI_KEY = "sk-sync-engine-" + UUID.randomUUID();
  private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");

  private static PostgresTestDatabase.Target target;
  private static Database database;
  private static Services services;
  private static VapiSimulator simulator;

  @BeforeAll
  static void openDatabase() {
    target = PostgresTestDatabase.freshSchema();
    database =
        Database.connect(target.jdbcUrl(), target.user(), target.password(), target.schema());
  }

  @AfterAll
  static void closeDatabase() {
    database.close();
  }

  /** Each test gets its own world, so changes one test makes to Vapi never leak into another. */
  @BeforeEach
  void startVapi() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Instant from = firstOfPreviousMonth(now);
    simulator =
        VapiSimulator.start(
            SimulatorData.generated(now.toEpochMilli(), 6_000, from, now.minusSeconds(90)),
            VAPI_KEY);
    services =
        new Services(
            database,
            database.keyVault(SECRET),
            new VapiClient(VapiClientConfig.forBaseUri(simulator.baseUri())),
            Clock.systemUTC(),
            Duration.ofMinutes(5),
            SyncListener.NONE);
  }

  @AfterEach
  void stopVapi() {
    simulator.close();
  }

  @Test
  void aRangeSync_storesExactlyTheSimulatorsCalls_andASecondOneChangesNothing() throws Exception {
    // No order to rely on at all: the listing must still find every call of the window.
    simulator.order(VapiSimulator.Order.SHUFFLED);
    UserId user = connectedUser();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    DateRange range =
        new DateRange(today.withDayOfMonth(1).minusMonths(1), today, ZoneId.of("America/New_York"));
    long inRange =
        simulator
            .data()
            .calls(CallWindow.created(range.startInstant(), range.endExclusive()))
            .size();

    SyncResult result = services.sync.sync(SyncCommand.ofRange(user, range));

    assertThat(result.syncedCalls()).isEqualTo(inRange);
    assertThat(storedRows(user))
        .as("rows stored: only and all calls of the range")
        .isEqualTo(inRange);
    assertSameMetrics(database.usage().aggregate(user, range), truth(range));
    SyncOutcome first = lastRun(user).outcome();
    assertThat(first.callsSeen()).isEqualTo(inRange);
    assertThat(first.callsChanged()).isEqualTo(inRange);

    Map<String, String> rowVersions = rowVersions(List.of(user));
    services.sync.sync(SyncCommand.ofRange(user, range));

    assertThat(lastRun(user).outcome().callsChanged())
        .as("calls changed by the same sync again")
        .isZero();
    assertThat(rowVersions(List.of(user)))
        .as("row versions after the same sync again")
        .isEqualTo(rowVersions);
    assertThat(storedRows(user)).isEqualTo(inRange);
    assertSameMetrics(database.usage().aggregate(user, range), truth(range));
  }

  @Test
  void anIncrementalSync_picksUpCallsThatEndedWereRecostedChangedLateOrAppeared() {
    UserId user = connectedUser();
    services.sync.sync(SyncCommand.incremental(user));
    DateRange range = twoMonths();
    assertSameMetrics(database.usage().aggregate(user, range), truth(range));
    Instant firstSyncStarted = lastRun(user).run().startedAt();

    // What Vapi does after calls were first stored: live calls end and get their costs, ended
    // calls get late analysis charges, and new calls come in.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<SimulatedCall> all = simulator.data().calls(CallWindow.created(Instant.EPOCH, FAR_FUTURE));
    List<String> live =
        all.stream().filter(c -> !"ended".equals(c.status())).map(SimulatedCall::id).toList();
    assertThat(live)
        .as("calls still running in the generated world")
        .hasSizeGreaterThanOrEqualTo(3);
    for (String id : live) {
      simulator.data().endCall(id, now.minusSeconds(20), now);
    }
    List<SimulatedCall> ended =
        all.stream().filter(c -> "ended".equals(c.status()) && c.costs() != null).toList();
    List<String> recosted = new ArrayList<>();
    for (int i = 0; i < ended.size(); i += ended.size() / 25) {
      SimulatedCall call = ended.get(i);
      simulator.data().recost(call.id(), withAnalysisCharge(call.costs(), "0.0123"), now);
      recosted.add(call.id());
    }
    // A change stamped before the first sync's cursor that only became visible after it: the
    // look-back window exists for exactly this.
    SimulatedCall late =
        ended.stream()
            .filter(c -> !recosted.contains(c.id()))
            .skip(ended.size() / 2)
            .findFirst()
            .orElseThrow();
    simulator
        .data()
        .recost(
            late.id(),
            withAnalysisCharge(late.costs(), "0.5"),
            firstSyncStarted.minus(Duration.ofMinutes(4)));
    SimulatedCall added =
        simulator.data().addEndedCall(now.minus(Duration.ofMinutes(3)), Duration.ofSeconds(95));
    SimulatedCall running = simulator.data().addInProgressCall(now.minusSeconds(40));
    int changes = live.size() + recosted.size() + 1 + 2;

    SyncResult result = services.sync.sync(SyncCommand.incremental(user));

    assertSameMetrics(database.usage().aggregate(user, range), truth(range));
    assertThat(lastRun(user).outcome().callsChanged())
        .as("calls changed by the incremental sync")
        .isEqualTo(changes);
    assertThat(storedRows(user)).isEqualTo(simulator.data().size());
    assertThat(storedCost(user, late.id()))
        .isEqualByComparingTo(simulator.data().call(late.id()).orElseThrow().cost());
    assertThat(storedCost(user, added.id())).isEqualByComparingTo(added.cost());
    assertThat(storedCost(user, running.id())).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void givenNothingChanged_aSecondIncrementalSync_sendsOneGetCallPerUserAndWritesNothing()
      throws Exception {
    // Vapi's unanswered calls end without starting; one of them lies in the look-back window that
    // the second sync re-reads, beside the generated calls of the last minutes.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    SimulatedCall unanswered =
        new SimulatedCall(
            simulator.data().newCallId(),
            simulator.data().orgId(),
            "outboundPhoneCall",
            "ended",
            "customer-did-not-answer",
            now.minusSeconds(300),
            now.minusSeconds(260),
            null,
            now.minusSeconds(262),
            simulator.data().assistantIds().get(0),
            null,
            BigDecimal.ZERO,
            SimulatedCall.Costs.NONE);
    simulator.data().add(unanswered);
    List<UserId> users = List.of(connectedUser(), connectedUser());
    for (UserId user : users) {
      services.sync.sync(SyncCommand.incremental(user));
    }
    Map<String, String> rowVersions = rowVersions(users);
    simulator.clearRequests();

    for (UserId user : users) {
      services.sync.sync(SyncCommand.incremental(user));
    }

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests).as("requests to Vapi").hasSize(users.size());
    assertThat(requests)
        .allSatisfy(
            r -> {
              assertThat(r.method() + " " + r.path()).isEqualTo("GET /call");
              assertThat(r.status()).isEqualTo(200);
            });
    for (UserId user : users) {
      SyncRunRecord run = lastRun(user);
      assertThat(run.outcome().status()).isEqualTo(SyncStatus.COMPLETED);
      assertThat(run.outcome().callsChanged()).as("calls changed for " + user).isZero();
    }
    // xmin changes whenever PostgreSQL rewrites a row, even to the same values.
    assertThat(rowVersions(users))
        .as("row versions of the stored calls and their rollups")
        .isEqualTo(rowVersions);
  }

  // ---------------------------------------------------------------------------------------------

  private static Instant firstOfPreviousMonth(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC)
        .withDayOfMonth(1)
        .minusMonths(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  private static DateRange twoMonths() {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    return new DateRange(today.withDayOfMonth(1).minusMonths(1), today, ZoneOffset.UTC);
  }

  private static UserId connectedUser() {
    UserId user = UserId.of("sync-" + UUID.randomUUID());
    services.connect.connect(new ConnectCommand(user, ApiKey.of(VAPI_KEY)));
    return user;
  }

  /** The contract's metrics recomputed from the simulator's calls, as an independent test would. */
  private static UsageMetrics truth(DateRange range) {
    UsageAccumulator truth = new UsageAccumulator(range);
    simulator
        .data()
        .forEachCall(
            CallWindow.created(Instant.EPOCH, FAR_FUTURE), c -> truth.add(c.toCallRecord()));
    return truth.toMetrics();
  }

  static void assertSameMetrics(UsageMetrics actual, UsageMetrics expected) {
    assertThat(actual)
        .usingRecursiveComparison()
        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
        .isEqualTo(expected);
  }

  private static SimulatedCall.Costs withAnalysisCharge(SimulatedCall.Costs costs, String charge) {
    return new SimulatedCall.Costs(
        costs.transport(),
        costs.stt(),
        costs.llm(),
        costs.tts(),
        costs.vapi(),
        costs.summary(),
        costs.successEvaluation().add(new BigDecimal(charge)));
  }

  private static SyncRunRecord lastRun(UserId user) {
    return database.syncRuns().history(user, 1).get(0);
  }

  private static Connection jdbc() throws java.sql.SQLException {
    return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
  }

  private static long storedRows(UserId user) {
    try (Connection c = jdbc();
        PreparedStatement s =
            c.prepareStatement("SELECT count(*) FROM usage_call WHERE user_id = ?")) {
      s.setString(1, user.value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigDecimal storedCost(UserId user, String callId) {
    try (Connection c = jdbc();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT coalesce(cost, 0) FROM usage_call WHERE user_id = ? AND call_id = ?")) {
      s.setString(1, user.value());
      s.setString(2, callId);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("call " + callId + " stored").isTrue();
        return rs.getBigDecimal(1);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every stored row of the users, with the transaction that last wrote it. */
  private static Map<String, String> rowVersions(List<UserId> users) throws Exception {
    Map<String, String> versions = new HashMap<>();
    try (Connection c = jdbc()) {
      for (String table :
          List.of("usage_call", "usage_quarter_hour", "usage_day_group", "usage_dirty_day")) {
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT ctid::text, xmin::text, t::text FROM " + table + " t WHERE user_id = ?")) {
          for (UserId user : users) {
            s.setString(1, user.value());
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                versions.put(
                    table + " " + rs.getString(3), rs.getString(1) + "/" + rs.getString(2));
              }
            }
          }
        }
      }
    }
    return versions;
  }
}
