package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.Browser;
import dev.vapiusage.adapter.http.DashboardPages;
import dev.vapiusage.adapter.http.Shown;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.persistence.PostgresTestDatabase;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.Figures;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.Faults;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A user's way through the dashboard in headless Chromium, against the server as {@code serve}
 * wires it ({@link Settings}, {@link Wiring}, {@link Services}): PostgreSQL or the embedded H2
 * database, and the Vapi client talking to the simulator full of this and last month's calls. The
 * user signs in, connects with a wrong key and then the right one, clicks Sync Now, reads on
 * Overview, Usage and Billing the numbers the API answers (and the API answers the simulator's
 * truth), changes the range and the zone, and disconnects. The browser's computer runs in New York
 * time. The PostgreSQL run saves every page at desktop and phone width under {@code
 * target/screenshots/postgresql/}.
 */
class DashboardFlowBrowserTest {
  private static final String ZONE = "America/New_York";
  private static final String OTHER_ZONE = "Asia/Tokyo";
  private static final String VAPI_KEY = "sk-browser-" + UUID.randomUUID();
  private static final Instant NOW = Instant.now();
  private static final LocalDate LAST_MONTH =
      LocalDate.ofInstant(NOW, ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);

  private static Browser browser;
  private static VapiSimulator simulator;

  @BeforeAll
  static void start() {
    browser = Browser.start(ZONE);
    // The first sync covers this and last month in UTC: exactly where the calls are.
    Instant from = LAST_MONTH.atStartOfDay(ZoneOffset.UTC).toInstant();
    simulator =
        VapiSimulator.start(
            SimulatorData.generated(11, 3_000, from, NOW.minusSeconds(60)), VAPI_KEY);
  }

  @AfterAll
  static void stop() {
    if (simulator != null) {
      simulator.close();
    }
    if (browser != null) {
      browser.close();
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnPostgreSql extends Flow {
    OnPostgreSql() {
      super("postgresql");
    }

    @Override
    Map<String, String> database() {
      PostgresTestDatabase.Target target = PostgresTestDatabase.freshSchema();
      Map<String, String> variables = new HashMap<>();
      variables.put("DATABASE_URL", target.jdbcUrl());
      variables.put("DATABASE_SCHEMA", target.schema());
      variables.put("DATABASE_USER", target.user());
      variables.put("DATABASE_PASSWORD", target.password());
      return variables;
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OnEmbeddedH2 extends Flow {
    OnEmbeddedH2() {
      // The same pages again: their pictures are PostgreSQL's run's.
      super(null);
    }

    @Override
    Map<String, String> database() throws IOException {
      return Map.of("DATA_DIR", Files.createTempDirectory("vapi-usage-browser-").toString());
    }
  }

  abstract static class Flow {
    private final String screenshotFolder;
    private VapiUsage vapiUsage;
    private VapiUsageHttp server;
    private DashboardPages pages;

    /** {@code screenshotFolder}: under {@code target/screenshots/}, or null to save none. */
    Flow(String screenshotFolder) {
      this.screenshotFolder = screenshotFolder;
    }

    /** The configuration variables that choose a fresh, empty database. */
    abstract Map<String, String> database() throws IOException;

    @BeforeAll
    void startServer() throws IOException {
      Map<String, String> variables = new HashMap<>(database());
      variables.put("ENCRYPTION_KEY", "a-browser-test-secret-of-enough-length");
      variables.put("VAPI_BASE_URL", simulator.baseUri().toString());
      // Only these variables, never the environment's: a developer's DATABASE_URL stays out.
      Settings settings = new Settings(variables, ConfigOptions.fromEnvironment(variables));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // As ServeCommand does it, on a free port and without the background sync.
      vapiUsage = Wiring.vapiUsage(settings, registry, SyncListener.NONE);
      server =
          vapiUsage
              .standaloneServer()
              .meterRegistry(registry)
              .prometheusText(registry::scrape)
              .build()
              .start("127.0.0.1", 0);
      pages = new DashboardPages(browser, "http://127.0.0.1:" + server.port(), screenshotFolder);
    }

    @AfterAll
    void stopServer() {
      if (server != null) {
        server.stop();
      }
      if (vapiUsage != null) {
        vapiUsage.close();
      }
    }

    @Test
    void aUser_connectsSyncsSeesTheApisNumbersOnEveryPageChangesRangeAndZoneAndDisconnects() {
      String token = vapiUsage.createUserToken(UserId.of("browser-" + UUID.randomUUID()));

      signInOnTheLoginPage(token);
      connectWithAWrongKeyThenTheRightOne(token);
      syncNow();
      JsonNode thisMonth = theOverviewShowsThisMonth(token);
      theUsagePageFollowsTheRangeAndTheZone(token, thisMonth);
      theBillingPageShowsTheCosts(token);
      disconnectKeepingTheUsage(token, thisMonth);
    }

    private void signInOnTheLoginPage(String token) {
      browser.driver.manage().deleteAllCookies();
      browser.open(pages.base() + "/dashboard");
      browser.await(ExpectedConditions.urlToBe(pages.base() + "/login"));
      pages.screenshots("login");

      pages.signIn(token);
      pages.awaitLoaded();
      assertThat(browser.visible("#empty-not-connected").getText())
          .contains("Connect your Vapi account");
      browser.assertNoProblems();
      pages.screenshots("overview-not-connected");
    }

    private void connectWithAWrongKeyThenTheRightOne(String token) {
      pages.open("/dashboard/settings");
      assertThat(browser.find("#connection-state").getText()).isEqualTo("Not connected");
      assertThat(browser.find("#sync-now").isEnabled()).isFalse();

      pages.connectRefused(token, "sk-wrong-" + UUID.randomUUID());
      pages.screenshots("settings-invalid-key");

      pages.connect(token, VAPI_KEY);
      browser.assertNoProblems();
    }

    private void syncNow() {
      // Vapi answers slowly for a moment, so the page is seen while it syncs.
      simulator.faults(Faults.none().withDelays(1, Duration.ofMillis(600)));
      try {
        pages.startSync();
        pages.screenshots("settings-syncing");
      } finally {
        simulator.faults(Faults.none());
      }
      String result = pages.awaitSyncResult();

      // The first sync fetched every call of this and last month, which is all the simulator has.
      assertThat(result)
          .startsWith(
              "Sync complete: "
                  + Shown.count(simulator.data().size())
                  + " calls from "
                  + DateTimeFormatter.ofPattern("MMM d", Locale.US).format(LAST_MONTH));
      pages.screenshots("settings");
    }

    private JsonNode theOverviewShowsThisMonth(String token) {
      pages.open("/dashboard");
      JsonNode usage = pages.api(token, "/api/vapi/usage?timezone=" + ZONE);
      LocalDate start = LocalDate.parse(usage.get("startDate").textValue());
      LocalDate end = LocalDate.parse(usage.get("endDate").textValue());
      assertThat(start).isEqualTo(end.withDayOfMonth(1));
      assertIsTheSimulatorsTruth(usage);

      pages.assertTotals(usage.get("totals"));
      assertThat(browser.find("#lede").getText()).contains(ZONE);
      assertThat(browser.findAll("#daily-table tbody tr")).hasSize(usage.get("daily").size());
      assertThat(pages.chartLabels("daily-chart")).hasSize(usage.get("daily").size());

      // The change compares this month's whole days with the same days of last month.
      pages.assertComparesWholeDays(token, usage);
      assertThat(browser.find("#sync-line").getText()).startsWith("Last synced");
      assertThat(browser.findAll("#notices > *")).isEmpty();
      browser.assertNoProblems();
      pages.screenshots("overview");
      return usage;
    }

    private void theUsagePageFollowsTheRangeAndTheZone(String token, JsonNode thisMonth) {
      pages.open("/dashboard/usage");
      pages.assertShowsRange(
          thisMonth.get("startDate").textValue(), thisMonth.get("endDate").textValue(), ZONE);
      pages.assertTotals(thisMonth.get("totals"));
      pages.assertGroups(thisMonth);
      browser.assertNoProblems();
      pages.screenshots("usage");

      LocalDate start = LAST_MONTH.plusDays(9);
      LocalDate end = LAST_MONTH.plusDays(19);
      pages.showRange(start.toString(), end.toString(), OTHER_ZONE);

      JsonNode tokyo = pages.api(token, query(start, end, OTHER_ZONE));
      assertIsTheSimulatorsTruth(tokyo);
      assertThat(tokyo.get("totals").get("calls").longValue()).isPositive();
      // Tokyo's days begin 13 or 14 hours before New York's: other calls, other totals.
      assertThat(tokyo.get("totals").get("cost").decimalValue())
          .isNotEqualByComparingTo(
              pages.api(token, query(start, end, ZONE)).get("totals").get("cost").decimalValue());
      pages.assertTotals(tokyo.get("totals"));
      pages.assertGroups(tokyo);
      pages.assertShowsRange(start.toString(), end.toString(), OTHER_ZONE);
      browser.assertNoProblems();
      pages.screenshots("usage-range-and-zone");
    }

    private void theBillingPageShowsTheCosts(String token) {
      pages.open("/dashboard/billing");
      // Read after the page has loaded, so both see the same "today" even when the test runs
      // across midnight in the zone (the projection divides by the days so far).
      JsonNode thisMonth = pages.api(token, "/api/vapi/usage?timezone=" + ZONE);
      pages.assertMonthToDateBilling(token, thisMonth);
      assertThat(browser.find("#zone-note").getText()).contains(ZONE);
      browser.assertNoProblems();
      pages.screenshots("billing");
    }

    private void disconnectKeepingTheUsage(String token, JsonNode thisMonth) {
      pages.open("/dashboard/settings");
      pages.disconnectWithConfirmation(token);
      browser.assertNoProblems();
      pages.screenshots("settings-disconnected");

      pages.open("/dashboard");
      assertThat(browser.visible("#notice-disconnected").getText())
          .contains("Your Vapi account is not connected");
      JsonNode usage = pages.api(token, "/api/vapi/usage?timezone=" + ZONE);
      assertThat(usage.get("totals")).isEqualTo(thisMonth.get("totals"));
      pages.assertTotals(usage.get("totals"));
      browser.assertNoProblems();
      pages.screenshots("overview-disconnected");
    }

    /** The API's totals are the sums of the simulator's calls in the same days of the same zone. */
    private static void assertIsTheSimulatorsTruth(JsonNode usage) {
      DateRange range =
          new DateRange(
              LocalDate.parse(usage.get("startDate").textValue()),
              LocalDate.parse(usage.get("endDate").textValue()),
              ZoneId.of(usage.get("timezone").textValue()));
      UsageAccumulator truth = new UsageAccumulator(range);
      simulator
          .data()
          .forEachCall(
              CallWindow.created(Instant.EPOCH, NOW.plusSeconds(3600)),
              c -> truth.add(c.toCallRecord()));
      UsageMetrics expected = truth.toMetrics();
      Figures totals = expected.totals();
      assertThat(usage.at("/totals/calls").longValue())
          .as("calls of " + range)
          .isEqualTo(totals.calls());
      assertThat(usage.at("/totals/minutes").decimalValue())
          .as("minutes of " + range)
          .isEqualByComparingTo(totals.minutesShown());
      assertThat(usage.at("/totals/cost").decimalValue())
          .as("cost of " + range)
          .isEqualByComparingTo(totals.costShown());
      assertThat(usage.get("daily")).hasSize(range.dayCount());
    }

    private static String query(LocalDate start, LocalDate end, String zone) {
      return "/api/vapi/usage?startDate=" + start + "&endDate=" + end + "&timezone=" + zone;
    }
  }
}
