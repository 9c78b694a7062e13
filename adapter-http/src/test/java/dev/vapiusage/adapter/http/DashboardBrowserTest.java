package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.testing.TestData;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A user's way through the dashboard in headless Chromium, against the real server with the real
 * use cases and a Vapi full of calls: sign in, connect with a wrong key and a right one, Sync Now,
 * read the same numbers on Overview, Usage and Billing as the API gives, change the range and the
 * zone, disconnect. The browser's computer runs in New York time, so the pages' default zone is not
 * UTC. Each test also saves its page at desktop and phone width under {@code target/screenshots/}.
 */
class DashboardBrowserTest {
  static final String ZONE = "America/New_York";

  private static Browser browser;
  private static TestServer server;
  private static DashboardPages pages;

  @BeforeAll
  static void start() {
    browser = Browser.start(ZONE);
    server = new TestServer();
    server.vapi.calls.put(SampleCalls.between(LocalDate.of(2023, 12, 20), TestServer.NOW));
    pages = new DashboardPages(browser, server);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aBadToken_isRefusedOnTheLoginPage_andAGoodOneOpensTheOverviewThatAsksToConnect() {
    TestServer.User user = server.newUser();
    browser.driver.manage().deleteAllCookies();
    browser.open(server.base + "/dashboard");
    browser.await(ExpectedConditions.urlToBe(server.base + "/login"));
    screenshots("login");

    browser.find("#token").sendKeys("vu_not-a-token");
    browser.find("form[action='/login'] button[type=submit]").click();
    browser.textIn("#login-error", "That token is not valid");
    assertThat(browser.find("#token").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.focused()).isEqualTo("token");

    browser.find("#token").sendKeys(user.token());
    browser.find("form[action='/login'] button[type=submit]").click();
    browser.await(ExpectedConditions.urlToBe(server.base + "/dashboard"));
    awaitLoaded();

    WebElement empty = browser.visible("#empty-not-connected");
    assertThat(empty.getText())
        .contains("Connect your Vapi account")
        .contains("Settings → Vapi Integration");
    assertThat(browser.find("#content").isDisplayed()).isFalse();
    browser.assertNoProblems();
    screenshots("overview-not-connected");

    empty.findElement(org.openqa.selenium.By.linkText("Connect Vapi Account")).click();
    browser.await(ExpectedConditions.urlContains("/dashboard/settings#connect"));
    awaitLoaded();
    assertThat(browser.focused()).isEqualTo("apiKey");
    assertThat(browser.find("#connection-state").getText()).isEqualTo("Not connected");
    assertThat(browser.find("#sync-now").isEnabled()).isFalse();
    assertThat(browser.find("#disconnect-panel").isDisplayed()).isFalse();
  }

  @Test
  void aWrongKey_showsInvalidApiKeyWithTheSeedsHintsWhereTheUserTypedIt_andStoresNothing() {
    TestServer.User user = signIn(server.newUser());
    openAndWait("/dashboard/settings");

    pages.connectRefused(user.token(), "sk-this-key-is-wrong");
    screenshots("settings-invalid-key");
  }

  @Test
  void aRightKey_connectsWithItsHint_andSyncNowShowsItsProgressAndThenItsResult() {
    TestServer.User user = signIn(server.newUser());
    ApiKey key = TestData.anyApiKey();
    server.vapi.calls.accept(key);
    openAndWait("/dashboard/settings");

    pages.connect(user.token(), key.reveal());

    server.vapi.closeGate();
    try {
      pages.startSync();
      screenshots("settings-syncing");
    } finally {
      server.vapi.open();
    }
    String result = pages.awaitSyncResult();

    long stored = server.usage.count(user.id());
    assertThat(stored).isPositive();
    assertThat(result).startsWith("Sync complete: " + Shown.count(stored) + " calls from Jan 1");
    assertThat(browser.find("#last-synced").getText()).contains("2024");
    screenshots("settings");

    // A second sync is incremental: it names the previous sync's time in the browser's zone.
    String previous = browser.find("#last-synced").getText();
    browser.find("#sync-now").click();
    assertThat(pages.awaitSyncResult())
        .startsWith("Sync complete: ")
        .contains("since the last sync (" + previous + ")")
        .contains("EST");
  }

  @Test
  void theOverview_showsThisMonthsTotalsAsTheApiComputesThem_withTheChangeAgainstLastMonth() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard");

    JsonNode usage = api(user, "/api/vapi/usage?timezone=" + ZONE);
    assertThat(usage.get("startDate").textValue()).isEqualTo("2024-02-01");
    assertThat(usage.get("endDate").textValue()).isEqualTo("2024-02-15");
    pages.assertTotals(usage.get("totals"));
    assertThat(browser.find("#lede").getText()).contains("Feb").contains("15").contains(ZONE);

    // Like with like: the 14 whole days of February against January's first 14 days.
    pages.assertComparesWholeDays(user.token(), usage);
    for (String field : List.of("calls", "minutes", "cost")) {
      assertThat(browser.find("[data-delta='" + field + "']").getText())
          .contains("Feb 1 – 14, 2024 vs Jan 1 – 14, 2024");
    }
    WebElement callsDelta = browser.find("[data-delta='calls']");
    double callsChange =
        Double.parseDouble(callsDelta.getAttribute("data-current"))
                / Double.parseDouble(callsDelta.getAttribute("data-previous"))
            - 1;
    assertThat(callsDelta.getText()).startsWith(callsChange > 0 ? "↑" : "↓");

    assertThat(browser.findAll("#daily-table tbody tr")).hasSize(usage.get("daily").size());
    assertThat(pages.chartLabels("daily-chart")).hasSize(usage.get("daily").size());
    assertThat(browser.find("#sync-line").getText()).startsWith("Last synced");
    assertOnlyTheStuckCallsNotice(usage);
    browser.assertNoProblems();
    screenshots("overview");
  }

  @Test
  void theUsagePage_showsTheApisNumbers_andFollowsAChangeOfRangeAndTimeZone() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard/usage");

    pages.assertShowsRange("2024-02-01", "2024-02-15", ZONE);
    JsonNode usage = api(user, "/api/vapi/usage?timezone=" + ZONE);
    pages.assertTotals(usage.get("totals"));
    pages.assertGroups(usage);
    browser.assertNoProblems();
    screenshots("usage");

    pages.showRange("2024-01-10", "2024-01-20", "Asia/Tokyo");

    JsonNode tokyo =
        api(user, "/api/vapi/usage?startDate=2024-01-10&endDate=2024-01-20&timezone=Asia/Tokyo");
    pages.assertTotals(tokyo.get("totals"));
    pages.assertGroups(tokyo);
    pages.assertShowsRange("2024-01-10", "2024-01-20", "Asia/Tokyo");

    int before = loads();
    browser.find("[data-preset='last-month']").click();
    awaitLoadAfter(before);
    pages.assertShowsRange("2024-01-01", "2024-01-31", "Asia/Tokyo");
    assertThat(browser.find("[data-preset='last-month']").getAttribute("aria-pressed"))
        .isEqualTo("true");
    pages.assertTotals(
        api(user, "/api/vapi/usage?startDate=2024-01-01&endDate=2024-01-31&timezone=Asia/Tokyo")
            .get("totals"));

    pages.setDate("#startDate", "2024-02-10");
    pages.setDate("#endDate", "2024-02-01");
    before = loads();
    browser.find("#range-form button[type=submit]").click();
    awaitLoadAfter(before);
    assertThat(browser.find("#range-error").getText())
        .contains("start date must be on or before the end date");
    assertThat(browser.find("#startDate").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.focused()).isEqualTo("startDate");
    browser.assertNoProblems();
  }

  @Test
  void theBreakdownTables_sortByAnyColumnFromTheKeyboard_andTheChartsSwitchMetric() {
    signIn(connectedUser());
    openAndWait("/dashboard/usage");

    WebElement table = browser.find("#byEndedReason-table");
    assertThat(table.findElement(org.openqa.selenium.By.cssSelector("th[aria-sort]")).getText())
        .startsWith("Cost");
    assertThat(columnValues("#byEndedReason-table", 3))
        .isSortedAccordingTo((a, b) -> b.compareTo(a));

    WebElement callsHeader = browser.find("#byEndedReason-table button[data-sort='calls']");
    callsHeader.sendKeys(Keys.ENTER);
    assertThat(sortOf("#byEndedReason-table", "calls")).isEqualTo("descending");
    assertThat(columnValues("#byEndedReason-table", 1))
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
    callsHeader.sendKeys(Keys.SPACE);
    assertThat(sortOf("#byEndedReason-table", "calls")).isEqualTo("ascending");
    assertThat(columnValues("#byEndedReason-table", 1)).isSorted();
    assertThat(sortOf("#byEndedReason-table", "cost")).isNull();

    browser.find("#byType-table button[data-sort='key']").click();
    List<String> types = new ArrayList<>();
    browser.findAll("#byType-table tbody th").forEach(cell -> types.add(cell.getText()));
    assertThat(types)
        .isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER)
        .contains("Inbound phone call", "Web call");

    assertThat(browser.script("return Chart.getChart('byType-chart').data.datasets[0].label;"))
        .isEqualTo("Calls");
    browser.find("label[for='metric-minutes']").click();
    assertThat(browser.script("return Chart.getChart('byType-chart').data.datasets[0].label;"))
        .isEqualTo("Minutes");
    browser.assertNoProblems();
  }

  @Test
  void theBillingPage_showsTheApisCostsByComponentPerDayPerMinuteAndAMonthEndProjection() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard/billing");

    JsonNode usage = api(user, "/api/vapi/usage?timezone=" + ZONE);
    assertThat(usage.get("daily")).hasSize(15);
    // Cost to date, per minute, per call, by component, and projected over February's 29 days.
    pages.assertMonthToDateBilling(user.token(), usage);
    browser.find("#daily-details summary").click();
    List<WebElement> days = browser.findAll("#daily-table tbody tr");
    assertThat(days).hasSize(15);
    JsonNode lastDay = usage.get("daily").get(14);
    assertThat(days.get(14).getAttribute("data-date")).isEqualTo(lastDay.get("date").textValue());
    assertThat(days.get(14).findElement(org.openqa.selenium.By.cssSelector("td")).getText())
        .isEqualTo(Shown.money(lastDay.get("cost").doubleValue()));
    // Bars for the 15 days so far, the projection line up to the 29th.
    assertThat(pages.chartLabels("days-chart")).hasSize(29);
    browser.assertNoProblems();
    screenshots("billing");

    int before = loads();
    new Select(browser.find("#month")).selectByValue("2024-01-01");
    awaitLoadAfter(before);
    JsonNode january =
        api(user, "/api/vapi/usage?startDate=2024-01-01&endDate=2024-01-31&timezone=" + ZONE);
    pages.assertFigure(
        "[data-total='cost']",
        january.get("totals").get("cost").decimalValue(),
        Shown.money(january.get("totals").get("cost").doubleValue()));
    assertThat(browser.find("#cost-label").getText()).isEqualTo("Month total");
    assertThat(browser.find("[data-figure='projection']").getText()).isEqualTo("–");
    assertThat(browser.findAll("#daily-table tbody tr")).hasSize(31);
    browser.assertNoProblems();
  }

  @Test
  void disconnecting_asksForConfirmationThenDeletesTheKey_whileTheSyncedUsageStays() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard");
    openAndWait("/dashboard/settings");

    pages.disconnectWithConfirmation(user.token());

    openAndWait("/dashboard");
    assertThat(browser.visible("#notice-disconnected").getText())
        .contains("Your Vapi account is not connected");
    pages.assertTotals(api(user, "/api/vapi/usage?timezone=" + ZONE).get("totals"));
    assertThat(browser.findAll("#page-sync")).isEmpty();
    browser.assertNoProblems();
    screenshots("overview-disconnected");
  }

  @Test
  void atPhoneWidth_theTabsWrapInsteadOfScrolling_andEveryTabIsWhole() {
    signIn(connectedUser());
    browser.phone();
    try {
      openAndWait("/dashboard/usage");
      assertThat(browser.overflowsHorizontally()).isFalse();
      assertThat(
              browser.script(
                  "var n = document.querySelector('nav'); return n.scrollWidth <= n.clientWidth;"))
          .isEqualTo(true);
      for (WebElement tab : browser.findAll(".tabs a")) {
        Object measured =
            browser.script(
                "var e = arguments[0], r = e.getBoundingClientRect();"
                    + " return r.left >= 0 && r.right <= window.innerWidth && e.scrollWidth <= e.clientWidth"
                    + " ? 'whole' : [r.left, r.right, e.scrollWidth, e.clientWidth].join(' ');",
                tab);
        assertThat(measured)
            .as(tab.getText() + ": left, right, scrollWidth, clientWidth")
            .isEqualTo("whole");
      }
      assertThat(browser.findAll(".tabs a"))
          .extracting(WebElement::getText)
          .containsExactly("Overview", "Usage", "Calls", "Billing", "Settings");
      browser.screenshot("tabs-phone");
    } finally {
      browser.desktop();
    }
  }

  @Test
  void atLaptopWidth_theByAssistantTableFitsItsBox_withTheCostColumnVisible() {
    TestServer.User user = signIn(connectedUser());
    server.names.replace(user.id(), SampleCalls.roster(TestServer.NOW));
    browser.viewport(1366, 768);
    try {
      openAndWait("/dashboard/usage");
      for (String group : List.of("byAssistant", "byType", "byEndedReason", "byModel")) {
        Object fits =
            browser.script(
                "var w = document.querySelector('#' + arguments[0] + ' .table-wrap'); return w.scrollWidth <= w.clientWidth;",
                group);
        assertThat(fits).as(group + " is wider than its box").isEqualTo(true);
      }
      Object costVisible =
          browser.script(
              "var w = document.querySelector('#byAssistant .table-wrap').getBoundingClientRect();"
                  + " var c = document.querySelector('#byAssistant-table tbody tr td:last-child').getBoundingClientRect();"
                  + " return c.right <= w.right + 0.5 && c.width > 0;");
      assertThat(costVisible).isEqualTo(true);
      // Names where Vapi has them, the id's two ends where not; the whole id on hover.
      String named = SampleCalls.ASSISTANTS.get(0);
      WebElement front = browser.find("#byAssistant-table tr[data-key='" + named + "'] th");
      assertThat(front.getText()).isEqualTo("Front desk");
      assertThat(front.getAttribute("title")).contains(named);
      String deleted = SampleCalls.ASSISTANTS.get(3);
      WebElement unnamed = browser.find("#byAssistant-table tr[data-key='" + deleted + "'] th");
      assertThat(unnamed.getText()).startsWith(deleted.substring(0, 5)).contains("…");
      assertThat(unnamed.getAttribute("title")).isEqualTo(deleted);

      // By model: the API's entries, in its order, with their exact costs.
      JsonNode byModel = api(user, "/api/vapi/usage?timezone=" + ZONE).get("byModel");
      assertThat(byModel).isNotEmpty();
      List<WebElement> models = browser.findAll("#byModel-table tbody tr");
      assertThat(models).hasSize(byModel.size());
      for (int i = 0; i < models.size(); i++) {
        JsonNode entry = byModel.get(i);
        assertThat(models.get(i).getAttribute("data-model"))
            .isEqualTo(entry.path("model").asText(""));
        WebElement cost =
            models.get(i).findElement(org.openqa.selenium.By.cssSelector("td:last-child"));
        assertThat(new BigDecimal(cost.getAttribute("data-value")))
            .isEqualByComparingTo(entry.get("cost").decimalValue());
      }
      browser.screenshot("usage-1366");
    } finally {
      browser.desktop();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** No notice, unless calls are stuck: then the stuck-calls notice alone, with their number. */
  private void assertOnlyTheStuckCallsNotice(JsonNode usage) {
    long stuck = usage.path("stuckCalls").asLong(0);
    if (stuck == 0) {
      assertThat(browser.findAll("#notices > *")).isEmpty();
      return;
    }
    assertThat(browser.findAll("#notices > *")).hasSize(1);
    assertThat(browser.find("#notice-stuck").getText()).startsWith(Shown.count(stuck) + " call");
  }

  private TestServer.User connectedUser() {
    return server.connectedUser(TestData.anyApiKey());
  }

  private TestServer.User signIn(TestServer.User user) {
    return pages.signIn(user);
  }

  private void openAndWait(String path) {
    pages.open(path);
  }

  private void awaitLoaded() {
    pages.awaitLoaded();
  }

  private int loads() {
    return pages.loads();
  }

  private void awaitLoadAfter(int before) {
    pages.awaitLoadAfter(before);
  }

  private JsonNode api(TestServer.User user, String pathAndQuery) {
    return pages.api(user, pathAndQuery);
  }

  private List<BigDecimal> columnValues(String table, int column) {
    List<BigDecimal> values = new ArrayList<>();
    for (WebElement row : browser.findAll(table + " tbody tr")) {
      WebElement cell = row.findElements(org.openqa.selenium.By.cssSelector("td")).get(column - 1);
      values.add(new BigDecimal(cell.getAttribute("data-value")));
    }
    return values;
  }

  private String sortOf(String table, String key) {
    return browser
        .find(table + " button[data-sort='" + key + "']")
        .findElement(org.openqa.selenium.By.xpath(".."))
        .getAttribute("aria-sort");
  }

  private void screenshots(String name) {
    pages.screenshots(name);
  }
}
