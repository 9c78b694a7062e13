package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * What the browser tests do on the dashboard of one running server, however it is wired: sign in
 * through the login form, open a page and wait until its script has shown the data, read the API as
 * a script would, take the settings page's steps (connect, Sync Now, disconnect), check that the
 * pages show the API's numbers, and save screenshots at desktop and phone width. Published in this
 * module's test-jar, so the bootstrap module drives the fully wired server the same way.
 */
public final class DashboardPages {
  private final Browser browser;
  private final String base;
  private final String screenshotFolder;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * Pages of the server at {@code base} ({@code http://host:port}); screenshots go to {@code
   * screenshotFolder} under {@code target/screenshots/} (empty for that folder itself), or nowhere
   * when it is null: a second run of the same pages then saves time.
   */
  public DashboardPages(Browser browser, String base, String screenshotFolder) {
    this.browser = browser;
    this.base = base;
    this.screenshotFolder =
        screenshotFolder == null || screenshotFolder.isEmpty()
            ? screenshotFolder
            : screenshotFolder + "/";
  }

  DashboardPages(Browser browser, TestServer server) {
    this(browser, server.base, "");
  }

  public String base() {
    return base;
  }

  /** Signs in with the login form, as a person would, and lands on the overview. */
  public void signIn(String token) {
    browser.driver.manage().deleteAllCookies();
    browser.open(base + "/login");
    browser.find("#token").sendKeys(token);
    browser.find("form[action='/login'] button[type=submit]").click();
    browser.await(ExpectedConditions.urlToBe(base + "/dashboard"));
  }

  TestServer.User signIn(TestServer.User user) {
    signIn(user.token());
    return user;
  }

  public void open(String path) {
    browser.open(base + path);
    awaitLoaded();
  }

  /** Waits until the page's script has finished its first render. */
  public void awaitLoaded() {
    browser.await(driver -> browser.find("body").getAttribute("data-loaded") != null);
  }

  /** How many renders the page's script has finished. */
  public int loads() {
    String value = browser.find("body").getAttribute("data-loaded");
    return value == null ? 0 : Integer.parseInt(value);
  }

  public void awaitLoadAfter(int before) {
    browser.await(driver -> loads() > before);
  }

  /** The API's answer for the user with this bearer token; anything but a 200 fails the test. */
  public JsonNode api(String token, String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode())
          .as(pathAndQuery + ": " + new String(response.body(), StandardCharsets.UTF_8))
          .isEqualTo(200);
      return Json.parse(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode api(TestServer.User user, String pathAndQuery) {
    return api(user.token(), pathAndQuery);
  }

  /**
   * The page at desktop and at phone width; at phone width nothing may stick out sideways. Does
   * nothing when these pages save no screenshots.
   */
  public void screenshots(String name) {
    if (screenshotFolder == null) {
      return;
    }
    browser.desktop();
    browser.screenshot(screenshotFolder + name + "-desktop");
    browser.phone();
    assertThat(browser.overflowsHorizontally()).as(name + " is wider than a phone").isFalse();
    browser.screenshot(screenshotFolder + name + "-phone");
    browser.desktop();
  }

  // ------------------------------------------------------------------ the settings page

  /**
   * On the settings page: a key Vapi refuses shows "Invalid API key" with the seed's hints where
   * the user typed it, and the account stays unconnected.
   */
  public void connectRefused(String token, String wrongKey) {
    WebElement input = browser.find("#apiKey");
    input.clear();
    input.sendKeys(wrongKey);
    browser.find("#connect-button").click();
    WebElement error = browser.visible("#connect-error");
    browser.textIn("#connect-error", "Invalid API key");
    assertThat(error.getText())
        .contains("Verify your API key in Vapi dashboard")
        .contains("Make sure you copied the full key")
        .contains("Check that the key hasn't expired");
    assertThat(input.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(browser.focused()).isEqualTo("apiKey");
    assertThat(browser.find("#connection-state").getText()).isEqualTo("Not connected");
    assertThat(api(token, "/api/vapi/connect").get("connected").booleanValue()).isFalse();
    browser.assertNoProblems();
  }

  /**
   * On the settings page: a key Vapi accepts connects; the page shows its last four characters,
   * empties the field and has not synced yet, and the API agrees.
   */
  public void connect(String token, String key) {
    WebElement input = browser.find("#apiKey");
    input.clear();
    input.sendKeys(key);
    browser.find("#connect-button").click();
    browser.textIn("#connection-state", "Connected");
    String last4 = key.substring(key.length() - 4);
    assertThat(browser.find("#key-hint").getText()).isEqualTo("••••" + last4);
    assertThat(browser.find("#connect-result").getText()).startsWith("Connected.").contains(last4);
    assertThat(input.getAttribute("value")).isEmpty();
    assertThat(input.getAttribute("aria-invalid")).isNull();
    assertThat(browser.findAll("#connect-error > *")).isEmpty();
    assertThat(browser.find("#last-outcome").getText()).isEqualTo("No sync yet");
    JsonNode status = api(token, "/api/vapi/connect");
    assertThat(status.get("connected").booleanValue()).isTrue();
    assertThat(status.get("keyHint").textValue()).isEqualTo("…" + last4);
  }

  /** Clicks Sync Now and sees it busy, with its progress showing, while the sync runs. */
  public void startSync() {
    browser.find("#sync-now").click();
    browser.visible("#sync-progress");
    assertThat(browser.find("#sync-now").isEnabled()).isFalse();
    assertThat(browser.find("#sync-now").getAttribute("aria-busy")).isEqualTo("true");
  }

  /**
   * Waits for Sync Now's result and answers its text, once the progress is gone and the page shows
   * the completed sync and a free button again.
   */
  public String awaitSyncResult() {
    browser.textIn("#sync-result", "Sync complete");
    browser.gone("#sync-progress");
    browser.textIn("#last-outcome", "Completed");
    assertThat(browser.find("#last-synced").getText()).isNotEqualTo("Never");
    assertThat(browser.find("#sync-now").isEnabled()).isTrue();
    assertThat(browser.find("#disconnect-panel").isDisplayed()).isTrue();
    assertThat(browser.findAll("#sync-error > *")).isEmpty();
    browser.assertNoProblems();
    return browser.find("#sync-result").getText();
  }

  /**
   * On the settings page: Disconnect asks first; Cancel keeps the account connected, confirming
   * deletes the key. Saves the confirmation as the {@code settings-confirm-disconnect} screenshots.
   */
  public void disconnectWithConfirmation(String token) {
    browser.find("#disconnect").click();
    browser.visible("#confirm-disconnect");
    assertThat(browser.focused()).isEqualTo("confirm-cancel");
    screenshots("settings-confirm-disconnect");
    browser.find("#confirm-cancel").click();
    browser.gone("#confirm-disconnect");
    assertThat(browser.focused()).isEqualTo("disconnect");
    assertThat(api(token, "/api/vapi/connect").get("connected").booleanValue()).isTrue();

    int before = loads();
    browser.find("#disconnect").click();
    browser.visible("#confirm-yes").click();
    awaitLoadAfter(before);
    assertThat(browser.find("#connection-state").getText()).isEqualTo("Not connected");
    assertThat(browser.find("#connect-result").getText()).startsWith("Disconnected.");
    assertThat(browser.find("#disconnect-panel").isDisplayed()).isFalse();
    assertThat(api(token, "/api/vapi/connect").get("connected").booleanValue()).isFalse();
  }

  // ------------------------------------------------------------------ the usage page

  /** On the usage page: picks a range and a time zone, shows them and waits for the new numbers. */
  public void showRange(String startDate, String endDate, String timeZone) {
    setDate("#startDate", startDate);
    setDate("#endDate", endDate);
    new Select(browser.find("#timezone")).selectByValue(timeZone);
    int before = loads();
    browser.find("#range-form button[type=submit]").click();
    awaitLoadAfter(before);
  }

  /**
   * The usage page shows this range in this zone: in its fields, its address (to bookmark), its
   * heading, and as one row per day.
   */
  public void assertShowsRange(String startDate, String endDate, String timeZone) {
    assertThat(browser.find("#startDate").getAttribute("value")).isEqualTo(startDate);
    assertThat(browser.find("#endDate").getAttribute("value")).isEqualTo(endDate);
    assertThat(new Select(browser.find("#timezone")).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo(timeZone);
    assertThat(browser.driver.getCurrentUrl())
        .contains("startDate=" + startDate)
        .contains("endDate=" + endDate)
        .contains("timezone=" + URLEncoder.encode(timeZone, StandardCharsets.UTF_8));
    long days = ChronoUnit.DAYS.between(LocalDate.parse(startDate), LocalDate.parse(endDate)) + 1;
    assertThat(browser.findAll("#daily-table tbody tr")).hasSize((int) days);
    assertThat(browser.find("#lede").getText())
        .contains(Shown.count(days) + (days == 1 ? " day" : " days"))
        .contains(timeZone);
  }

  /** Sets a date field as its picker would, without the locale's typing rules. */
  public void setDate(String css, String value) {
    browser.script("arguments[0].value = arguments[1];", browser.find(css), value);
  }

  // ------------------------------------------------------------------ the numbers

  /** The cards show exactly the API's totals: as their values, and rounded as their text. */
  public void assertTotals(JsonNode totals) {
    assertFigure(
        "[data-total='calls']",
        totals.get("calls").decimalValue(),
        Shown.count(totals.get("calls").longValue()));
    assertFigure(
        "[data-total='minutes']",
        totals.get("minutes").decimalValue(),
        Shown.minutes(totals.get("minutes").doubleValue()));
    assertFigure(
        "[data-total='cost']",
        totals.get("cost").decimalValue(),
        Shown.money(totals.get("cost").doubleValue()));
  }

  public void assertFigure(String css, BigDecimal value, String text) {
    WebElement figure = browser.find(css);
    assertThat(new BigDecimal(figure.getAttribute("value"))).as(css).isEqualByComparingTo(value);
    assertThat(figure.getText()).as(css).isEqualTo(text);
  }

  public double figureValue(String css) {
    return Double.parseDouble(browser.find(css).getAttribute("value"));
  }

  /** Every group of the usage page's three breakdowns is a row with the API's figures. */
  public void assertGroups(JsonNode usage) {
    for (String[] group :
        new String[][] {
          {"byAssistant", "assistantId"}, {"byType", "type"}, {"byEndedReason", "endedReason"}
        }) {
      Map<String, List<String>> rows = tableRows("#" + group[0] + "-table");
      assertThat(rows).as(group[0]).hasSize(usage.get(group[0]).size());
      for (JsonNode entry : usage.get(group[0])) {
        String key = entry.get(group[1]).isNull() ? "" : entry.get(group[1]).textValue();
        List<String> row = rows.get(key);
        assertThat(row).as(group[0] + " " + key).isNotNull();
        assertThat(new BigDecimal(row.get(0)))
            .as(key + " calls")
            .isEqualByComparingTo(entry.get("calls").decimalValue());
        assertThat(new BigDecimal(row.get(1)))
            .as(key + " minutes")
            .isEqualByComparingTo(entry.get("minutes").decimalValue());
        assertThat(new BigDecimal(row.get(2)))
            .as(key + " cost")
            .isEqualByComparingTo(entry.get("cost").decimalValue());
        assertThat(row.get(3))
            .as(key + " cost shown")
            .isEqualTo(Shown.money(entry.get("cost").doubleValue()));
      }
    }
  }

  /**
   * A breakdown table's rows by their {@code data-key}: the calls, minutes and cost cells' values
   * and the cost cell's text. One script reads them all, instead of a round trip per cell.
   */
  @SuppressWarnings("unchecked")
  private Map<String, List<String>> tableRows(String table) {
    List<List<String>> rows =
        (List<List<String>>)
            browser.script(
                "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr')).map(function (r) {"
                    + "  var c = r.querySelectorAll('td');"
                    + "  return [r.getAttribute('data-key'), c[0].getAttribute('data-value'),"
                    + "    c[1].getAttribute('data-value'), c[2].getAttribute('data-value'), c[2].innerText]; });",
                table);
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (List<String> row : rows) {
      assertThat(byKey.put(row.get(0), row.subList(1, row.size())))
          .as("two rows for " + row.get(0))
          .isNull();
    }
    return byKey;
  }

  /**
   * The billing page of the current month shows the API's cost to date, by component, per minute
   * and per call, and the month-end forecast of contract §9.3: month to date plus the average cost
   * of the 14 whole days before today times the days left in the month, today included.
   */
  public void assertMonthToDateBilling(String token, JsonNode usage) {
    JsonNode totals = usage.get("totals");
    double cost = totals.get("cost").doubleValue();
    double minutes = totals.get("minutes").doubleValue();
    assertFigure("[data-total='cost']", totals.get("cost").decimalValue(), Shown.money(cost));
    assertThat(browser.find("#cost-label").getText()).isEqualTo("Month to date");

    LocalDate today = LocalDate.parse(usage.get("endDate").textValue());
    JsonNode recent =
        api(
            token,
            "/api/vapi/usage?startDate="
                + today.minusDays(14)
                + "&endDate="
                + today.minusDays(1)
                + "&timezone="
                + URLEncoder.encode(usage.get("timezone").textValue(), StandardCharsets.UTF_8));
    long daysLeft = ChronoUnit.DAYS.between(today, today.withDayOfMonth(today.lengthOfMonth())) + 1;
    double projection = cost + recent.get("totals").get("cost").doubleValue() / 14 * daysLeft;
    assertThat(figureValue("[data-figure='projection']")).isCloseTo(projection, within(1e-9));
    assertThat(browser.find("[data-figure='projection']").getText())
        .isEqualTo(Shown.money(projection, 2));
    assertThat(browser.find("#projection-note").getText())
        .contains("14 whole days")
        .contains(Shown.count(daysLeft) + (daysLeft == 1 ? " day" : " days") + " left");
    assertThat(figureValue("[data-figure='cost-per-minute']"))
        .isCloseTo(cost / minutes, within(1e-12));
    assertThat(browser.find("[data-figure='cost-per-minute']").getText())
        .isEqualTo(Shown.money(cost / minutes, 4));
    double perCall = cost / totals.get("calls").doubleValue();
    assertThat(browser.find("[data-figure='cost-per-call']").getText())
        .isEqualTo(Shown.money(perCall, 4));

    for (String component : List.of("transport", "stt", "llm", "tts", "vapi", "analysis")) {
      WebElement cell = browser.find("#components-table tr[data-component='" + component + "'] td");
      JsonNode expected = usage.get("costBreakdown").get(component);
      assertThat(new BigDecimal(cell.getAttribute("data-value")))
          .as(component)
          .isEqualByComparingTo(expected.decimalValue());
      assertThat(cell.getText()).as(component).isEqualTo(Shown.money(expected.doubleValue()));
    }
  }

  /**
   * The overview's change against last month compares like with like: this month's whole days (the
   * 1st to yesterday) with the same days of last month, both as the API computes them.
   */
  public void assertComparesWholeDays(String token, JsonNode usage) {
    LocalDate start = LocalDate.parse(usage.get("startDate").textValue());
    LocalDate today = LocalDate.parse(usage.get("endDate").textValue());
    String zone = URLEncoder.encode(usage.get("timezone").textValue(), StandardCharsets.UTF_8);
    if (today.getDayOfMonth() == 1) {
      assertThat(browser.find("[data-delta='calls']").getText()).contains("once a whole day");
      return;
    }
    LocalDate previousStart = start.minusMonths(1);
    LocalDate previousEnd =
        previousStart.withDayOfMonth(
            Math.min(today.getDayOfMonth() - 1, previousStart.lengthOfMonth()));
    JsonNode current =
        api(
            token,
            "/api/vapi/usage?startDate="
                + start
                + "&endDate="
                + today.minusDays(1)
                + "&timezone="
                + zone);
    JsonNode previous =
        api(
            token,
            "/api/vapi/usage?startDate="
                + previousStart
                + "&endDate="
                + previousEnd
                + "&timezone="
                + zone);
    for (String field : List.of("calls", "minutes", "cost")) {
      WebElement delta = browser.find("[data-delta='" + field + "']");
      assertThat(new BigDecimal(delta.getAttribute("data-current")))
          .as(field + " this month's whole days")
          .isEqualByComparingTo(current.get("totals").get(field).decimalValue());
      assertThat(new BigDecimal(delta.getAttribute("data-previous")))
          .as(field + " the same days of last month")
          .isEqualByComparingTo(previous.get("totals").get(field).decimalValue());
    }
  }

  /** The labels of a page's chart, or null when the canvas has no chart. */
  @SuppressWarnings("unchecked")
  public List<Object> chartLabels(String canvasId) {
    return (List<Object>)
        browser.script(
            "var c = Chart.getChart(arguments[0]); return c ? c.data.labels : null;", canvasId);
  }
}
