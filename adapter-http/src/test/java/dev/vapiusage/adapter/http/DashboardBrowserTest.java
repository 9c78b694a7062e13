package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * zone, disconnect. The browser's computer runs in New York time, so the pages' default zone is
 * not UTC. Each test also saves its page at desktop and phone width under
 * {@code target/screenshots/}.
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
  void aBadTokenIsRefusedOnTheLoginPageAndAGoodOneOpensTheOverviewThatAsksToConnect() {
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
    assertThat(empty.getText()).contains("Connect your Vapi account").contains("Settings → Vapi Integration");
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
  void aWrongKeyShowsInvalidApiKeyWithTheSeedsHintsWhereTheUserTypedItAndStoresNothing() {
    TestServer.User user = signIn(server.newUser());
    openAndWait("/dashboard/settings");

    browser.find("#apiKey").sendKeys("sk-this-key-is-wrong");
    browser.find("#connect-button").click();
    WebElement error = browser.visible("#connect-error");
    browser.textIn("#connect-error", "Invalid API key");

    assertThat(error.getText())
        .contains("Verify your API key in Vapi dashboard")
        .contains("Make sure you copied the full key")
        .contains("Check that the key hasn't expired");
    assertThat(browser.find("#apiKey").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.focused()).isEqualTo("apiKey");
    assertThat(browser.find("#connection-state").getText()).isEqualTo("Not connected");
    assertThat(api(user, "/api/vapi/connect").get("connected").booleanValue()).isFalse();
    browser.assertNoProblems();
    screenshots("settings-invalid-key");
  }

  @Test
  void aRightKeyConnectsWithItsHintAndSyncNowShowsItsProgressAndThenItsResult() {
    TestServer.User user = signIn(server.newUser());
    ApiKey key = TestData.anyApiKey();
    server.vapi.calls.accept(key);
    openAndWait("/dashboard/settings");

    browser.find("#apiKey").sendKeys(key.reveal());
    browser.find("#connect-button").click();
    browser.textIn("#connection-state", "Connected");
    String last4 = key.reveal().substring(key.reveal().length() - 4);
    assertThat(browser.find("#key-hint").getText()).isEqualTo("••••" + last4);
    assertThat(browser.find("#connect-result").getText()).startsWith("Connected.").contains(last4);
    assertThat(browser.find("#apiKey").getAttribute("value")).isEmpty();
    assertThat(browser.find("#last-outcome").getText()).isEqualTo("No sync yet");
    JsonNode status = api(user, "/api/vapi/connect");
    assertThat(status.get("connected").booleanValue()).isTrue();
    assertThat(status.get("keyHint").textValue()).isEqualTo("…" + last4);

    server.vapi.closeGate();
    try {
      browser.find("#sync-now").click();
      browser.visible("#sync-progress");
      assertThat(browser.find("#sync-now").isEnabled()).isFalse();
      assertThat(browser.find("#sync-now").getAttribute("aria-busy")).isEqualTo("true");
      screenshots("settings-syncing");
    } finally {
      server.vapi.open();
    }
    browser.textIn("#sync-result", "Sync complete");
    browser.gone("#sync-progress");

    long stored = server.usage.count(user.id());
    assertThat(stored).isPositive();
    assertThat(browser.find("#sync-result").getText())
        .startsWith("Sync complete: " + Shown.count(stored) + " calls from Jan 1");
    browser.textIn("#last-outcome", "Completed");
    assertThat(browser.find("#last-synced").getText()).isNotEqualTo("Never").contains("2024");
    assertThat(browser.find("#sync-now").isEnabled()).isTrue();
    assertThat(browser.find("#disconnect-panel").isDisplayed()).isTrue();
    browser.assertNoProblems();
    screenshots("settings");
  }

  @Test
  void theOverviewShowsThisMonthsTotalsAsTheApiComputesThemWithTheChangeAgainstLastMonth() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard");

    JsonNode usage = api(user, "/api/vapi/usage?timezone=" + ZONE);
    assertThat(usage.get("startDate").textValue()).isEqualTo("2024-02-01");
    assertThat(usage.get("endDate").textValue()).isEqualTo("2024-02-15");
    assertTotals(usage.get("totals"));
    assertThat(browser.find("#lede").getText()).contains("Feb").contains("15").contains(ZONE);

    JsonNode previous = api(user, "/api/vapi/usage?startDate=2024-01-01&endDate=2024-01-15&timezone=" + ZONE);
    for (String field : List.of("calls", "minutes", "cost")) {
      WebElement delta = browser.find("[data-delta='" + field + "']");
      assertThat(new BigDecimal(delta.getAttribute("data-previous")))
          .isEqualByComparingTo(previous.get("totals").get(field).decimalValue());
      assertThat(delta.getText()).contains("vs Jan 1 – 15, 2024");
    }
    double callsChange =
        usage.get("totals").get("calls").doubleValue() / previous.get("totals").get("calls").doubleValue() - 1;
    assertThat(browser.find("[data-delta='calls']").getText()).startsWith(callsChange > 0 ? "↑" : "↓");

    assertThat(browser.findAll("#daily-table tbody tr")).hasSize(usage.get("daily").size());
    assertThat(chartLabels("daily-chart")).hasSize(usage.get("daily").size());
    assertThat(browser.find("#sync-line").getText()).startsWith("Last synced");
    assertThat(browser.findAll("#notices > *")).isEmpty();
    browser.assertNoProblems();
    screenshots("overview");
  }

  @Test
  void theUsagePageShowsTheApisNumbersAndFollowsAChangeOfRangeAndTimeZone() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard/usage");

    assertThat(new Select(browser.find("#timezone")).getFirstSelectedOption().getAttribute("value")).isEqualTo(ZONE);
    assertThat(browser.find("#startDate").getAttribute("value")).isEqualTo("2024-02-01");
    assertThat(browser.find("#endDate").getAttribute("value")).isEqualTo("2024-02-15");
    JsonNode usage = api(user, "/api/vapi/usage?timezone=" + ZONE);
    assertTotals(usage.get("totals"));
    assertGroups(usage);
    browser.assertNoProblems();
    screenshots("usage");

    setDate("#startDate", "2024-01-10");
    setDate("#endDate", "2024-01-20");
    new Select(browser.find("#timezone")).selectByValue("Asia/Tokyo");
    int before = loads();
    browser.find("#range-form button[type=submit]").click();
    awaitLoadAfter(before);

    JsonNode tokyo = api(user, "/api/vapi/usage?startDate=2024-01-10&endDate=2024-01-20&timezone=Asia/Tokyo");
    assertTotals(tokyo.get("totals"));
    assertGroups(tokyo);
    assertThat(browser.findAll("#daily-table tbody tr")).hasSize(11);
    assertThat(browser.driver.getCurrentUrl())
        .contains("startDate=2024-01-10")
        .contains("endDate=2024-01-20")
        .contains("timezone=Asia%2FTokyo");
    assertThat(browser.find("#lede").getText()).contains("11 days").contains("Asia/Tokyo");

    before = loads();
    browser.find("[data-preset='last-month']").click();
    awaitLoadAfter(before);
    assertThat(browser.find("#startDate").getAttribute("value")).isEqualTo("2024-01-01");
    assertThat(browser.find("#endDate").getAttribute("value")).isEqualTo("2024-01-31");
    assertThat(browser.find("[data-preset='last-month']").getAttribute("aria-pressed")).isEqualTo("true");
    assertTotals(api(user, "/api/vapi/usage?startDate=2024-01-01&endDate=2024-01-31&timezone=Asia/Tokyo").get("totals"));

    setDate("#startDate", "2024-02-10");
    setDate("#endDate", "2024-02-01");
    before = loads();
    browser.find("#range-form button[type=submit]").click();
    awaitLoadAfter(before);
    assertThat(browser.find("#range-error").getText()).contains("start date must be on or before the end date");
    assertThat(browser.find("#startDate").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.focused()).isEqualTo("startDate");
    browser.assertNoProblems();
  }

  @Test
  void theBreakdownTablesSortByAnyColumnFromTheKeyboardAndTheChartsSwitchMetric() {
    signIn(connectedUser());
    openAndWait("/dashboard/usage");

    WebElement table = browser.find("#byEndedReason-table");
    assertThat(table.findElement(org.openqa.selenium.By.cssSelector("th[aria-sort]")).getText()).startsWith("Cost");
    assertThat(columnValues("#byEndedReason-table", 3)).isSortedAccordingTo((a, b) -> b.compareTo(a));

    WebElement callsHeader = browser.find("#byEndedReason-table button[data-sort='calls']");
    callsHeader.sendKeys(Keys.ENTER);
    assertThat(sortOf("#byEndedReason-table", "calls")).isEqualTo("descending");
    assertThat(columnValues("#byEndedReason-table", 1)).isSortedAccordingTo((a, b) -> b.compareTo(a));
    callsHeader.sendKeys(Keys.SPACE);
    assertThat(sortOf("#byEndedReason-table", "calls")).isEqualTo("ascending");
    assertThat(columnValues("#byEndedReason-table", 1)).isSorted();
    assertThat(sortOf("#byEndedReason-table", "cost")).isNull();

    browser.find("#byType-table button[data-sort='key']").click();
    List<String> types = new ArrayList<>();
    browser.findAll("#byType-table tbody th").forEach(cell -> types.add(cell.getText()));
    assertThat(types).isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER).contains("Inbound phone call", "Web call");

    assertThat(browser.script("return Chart.getChart('byType-chart').data.datasets[0].label;")).isEqualTo("Calls");
    browser.find("label[for='metric-minutes']").click();
    assertThat(browser.script("return Chart.getChart('byType-chart').data.datasets[0].label;")).isEqualTo("Minutes");
    browser.assertNoProblems();
  }

  @Test
  void theBillingPageShowsTheApisCostsByComponentPerDayPerMinuteAndAMonthEndProjection() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard/billing");

    JsonNode usage = api(user, "/api/vapi/usage?timezone=" + ZONE);
    JsonNode totals = usage.get("totals");
    double cost = totals.get("cost").doubleValue();
    double minutes = totals.get("minutes").doubleValue();
    assertFigure("[data-total='cost']", totals.get("cost").decimalValue(), Shown.money(cost));
    assertThat(browser.find("#cost-label").getText()).isEqualTo("Month to date");

    double projection = cost / 15 * 29;
    assertThat(figureValue("[data-figure='projection']")).isCloseTo(projection, within(1e-9));
    assertThat(browser.find("[data-figure='projection']").getText()).isEqualTo(Shown.money(projection, 2));
    assertThat(figureValue("[data-figure='cost-per-minute']")).isCloseTo(cost / minutes, within(1e-12));
    assertThat(browser.find("[data-figure='cost-per-minute']").getText()).isEqualTo(Shown.money(cost / minutes, 4));
    double perCall = cost / totals.get("calls").doubleValue();
    assertThat(browser.find("[data-figure='cost-per-call']").getText()).isEqualTo(Shown.money(perCall, 4));

    for (String component : List.of("transport", "stt", "llm", "tts", "vapi", "analysis")) {
      WebElement cell = browser.find("#components-table tr[data-component='" + component + "'] td");
      double expected = usage.get("costBreakdown").get(component).doubleValue();
      assertThat(new BigDecimal(cell.getAttribute("data-value")))
          .isEqualByComparingTo(usage.get("costBreakdown").get(component).decimalValue());
      assertThat(cell.getText()).isEqualTo(Shown.money(expected));
    }
    browser.find("#daily-details summary").click();
    List<WebElement> days = browser.findAll("#daily-table tbody tr");
    assertThat(days).hasSize(15);
    JsonNode lastDay = usage.get("daily").get(14);
    assertThat(days.get(14).getAttribute("data-date")).isEqualTo(lastDay.get("date").textValue());
    assertThat(days.get(14).findElement(org.openqa.selenium.By.cssSelector("td")).getText())
        .isEqualTo(Shown.money(lastDay.get("cost").doubleValue()));
    // Bars for the 15 days so far, the projection line up to the 29th.
    assertThat(chartLabels("days-chart")).hasSize(29);
    browser.assertNoProblems();
    screenshots("billing");

    int before = loads();
    new Select(browser.find("#month")).selectByValue("2024-01-01");
    awaitLoadAfter(before);
    JsonNode january = api(user, "/api/vapi/usage?startDate=2024-01-01&endDate=2024-01-31&timezone=" + ZONE);
    assertFigure(
        "[data-total='cost']",
        january.get("totals").get("cost").decimalValue(),
        Shown.money(january.get("totals").get("cost").doubleValue()));
    assertThat(browser.find("#cost-label").getText()).isEqualTo("Month total");
    assertThat(browser.find("[data-figure='projection']").getText()).isEqualTo("–");
    assertThat(browser.findAll("#daily-table tbody tr")).hasSize(31);
    browser.assertNoProblems();
  }

  @Test
  void disconnectingAsksForConfirmationThenDeletesTheKeyWhileTheSyncedUsageStays() {
    TestServer.User user = signIn(connectedUser());
    openAndWait("/dashboard");
    openAndWait("/dashboard/settings");

    browser.find("#disconnect").click();
    browser.visible("#confirm-disconnect");
    assertThat(browser.focused()).isEqualTo("confirm-cancel");
    screenshots("settings-confirm-disconnect");
    browser.find("#confirm-cancel").click();
    browser.gone("#confirm-disconnect");
    assertThat(browser.focused()).isEqualTo("disconnect");
    assertThat(api(user, "/api/vapi/connect").get("connected").booleanValue()).isTrue();

    int before = loads();
    browser.find("#disconnect").click();
    browser.visible("#confirm-yes").click();
    awaitLoadAfter(before);
    assertThat(browser.find("#connection-state").getText()).isEqualTo("Not connected");
    assertThat(browser.find("#connect-result").getText()).startsWith("Disconnected.");
    assertThat(browser.find("#disconnect-panel").isDisplayed()).isFalse();
    assertThat(api(user, "/api/vapi/connect").get("connected").booleanValue()).isFalse();

    openAndWait("/dashboard");
    assertThat(browser.visible("#notice-disconnected").getText()).contains("Your Vapi account is not connected");
    assertTotals(api(user, "/api/vapi/usage?timezone=" + ZONE).get("totals"));
    assertThat(browser.findAll("#page-sync")).isEmpty();
    browser.assertNoProblems();
    screenshots("overview-disconnected");
  }

  // ------------------------------------------------------------------ helpers

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

  private void setDate(String css, String value) {
    browser.script("arguments[0].value = arguments[1];", browser.find(css), value);
  }

  /** The cards show exactly the API's totals: as their values, and rounded as their text. */
  private void assertTotals(JsonNode totals) {
    assertFigure("[data-total='calls']", totals.get("calls").decimalValue(), Shown.count(totals.get("calls").longValue()));
    assertFigure(
        "[data-total='minutes']", totals.get("minutes").decimalValue(), Shown.minutes(totals.get("minutes").doubleValue()));
    assertFigure("[data-total='cost']", totals.get("cost").decimalValue(), Shown.money(totals.get("cost").doubleValue()));
  }

  private void assertFigure(String css, BigDecimal value, String text) {
    WebElement figure = browser.find(css);
    assertThat(new BigDecimal(figure.getAttribute("value"))).as(css).isEqualByComparingTo(value);
    assertThat(figure.getText()).as(css).isEqualTo(text);
  }

  private double figureValue(String css) {
    return Double.parseDouble(browser.find(css).getAttribute("value"));
  }

  /** Every group of the three breakdowns is a row with the API's figures. */
  private void assertGroups(JsonNode usage) {
    for (String[] group : new String[][] {{"byAssistant", "assistantId"}, {"byType", "type"}, {"byEndedReason", "endedReason"}}) {
      List<WebElement> rows = browser.findAll("#" + group[0] + "-table tbody tr");
      assertThat(rows).as(group[0]).hasSize(usage.get(group[0]).size());
      for (JsonNode entry : usage.get(group[0])) {
        String key = entry.get(group[1]).isNull() ? "" : entry.get(group[1]).textValue();
        WebElement row =
            rows.stream().filter(r -> key.equals(r.getAttribute("data-key"))).findFirst().orElseThrow();
        List<WebElement> cells = row.findElements(org.openqa.selenium.By.cssSelector("td"));
        assertThat(new BigDecimal(cells.get(0).getAttribute("data-value"))).isEqualByComparingTo(entry.get("calls").decimalValue());
        assertThat(new BigDecimal(cells.get(1).getAttribute("data-value"))).isEqualByComparingTo(entry.get("minutes").decimalValue());
        assertThat(new BigDecimal(cells.get(2).getAttribute("data-value"))).isEqualByComparingTo(entry.get("cost").decimalValue());
        assertThat(cells.get(2).getText()).isEqualTo(Shown.money(entry.get("cost").doubleValue()));
      }
    }
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
    return browser.find(table + " button[data-sort='" + key + "']").findElement(org.openqa.selenium.By.xpath("..")).getAttribute("aria-sort");
  }

  @SuppressWarnings("unchecked")
  private List<Object> chartLabels(String canvasId) {
    return (List<Object>) browser.script("var c = Chart.getChart(arguments[0]); return c ? c.data.labels : null;", canvasId);
  }

  private void screenshots(String name) {
    pages.screenshots(name);
  }
}
