package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.domain.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Calls page in headless Chromium, against the real server with the real use cases and a Vapi
 * full of calls: filter, page through, open a call, download the CSV, and arrive from the Usage
 * page's breakdowns. The browser runs in New York time.
 */
class CallsBrowserTest {
  static final String ZONE = "America/New_York";
  static final String FEBRUARY =
      "startDate=2024-02-01&endDate=2024-02-15&timezone="
          + URLEncoder.encode(ZONE, StandardCharsets.UTF_8);

  private static Browser browser;
  private static TestServer server;
  private static DashboardPages pages;
  private static TestServer.User user;

  @BeforeAll
  static void start() {
    browser = Browser.start(ZONE);
    server = new TestServer();
    server.vapi.calls.put(SampleCalls.between(LocalDate.of(2023, 12, 20), TestServer.NOW));
    pages = new DashboardPages(browser, server);
    user = server.connectedUser(TestData.anyApiKey());
    server.names.replace(user.id(), SampleCalls.roster(TestServer.NOW));
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
  void givenAnAssistantFilter_theCallsPage_listsOnlyItsCallsNewestFirst_markingCostsThatMayMove() {
    signIn();
    pages.open("/dashboard/calls?" + FEBRUARY);
    String assistant = SampleCalls.ASSISTANTS.get(1);

    int before = pages.loads();
    new Select(browser.find("#assistantId")).selectByValue(assistant);
    pages.awaitLoadAfter(before);

    assertThat(browser.driver.getCurrentUrl()).contains("assistantId=" + assistant);
    JsonNode expected = api("/api/vapi/calls?" + FEBRUARY + "&assistantId=" + assistant);
    List<Map<String, String>> rows = rows();
    assertThat(rows).extracting(row -> row.get("id")).containsExactlyElementsOf(ids(expected));
    for (int i = 0; i < rows.size(); i++) {
      JsonNode call = expected.get("calls").get(i);
      assertThat(rows.get(i).get("assistant"))
          .isEqualTo(SampleCalls.ASSISTANT_NAMES.get(assistant));
      assertThat(rows.get(i).get("assistantTitle")).contains(assistant);
      assertThat(rows.get(i).get("final"))
          .as(call.get("id").textValue())
          .isEqualTo(String.valueOf(call.get("final").booleanValue()));
      assertThat(rows.get(i).get("mark")).isEqualTo(call.get("final").booleanValue() ? "" : "*");
    }

    JsonNode group = group("byAssistant", "assistantId", assistant);
    assertThat(new BigDecimal(browser.find("#calls-total-calls").getAttribute("value")))
        .isEqualByComparingTo(group.get("calls").decimalValue());
    assertThat(browser.find("#download-calls").getAttribute("href"))
        .contains("/api/vapi/calls/export?format=csv&")
        .contains("assistantId=" + assistant);
    browser.assertNoProblems();
    pages.screenshots("calls-filtered");
  }

  @Test
  void theCallsPage_pagesForwardThroughEveryCallOfTheRangeOnce_andBackAgain() {
    signIn();
    pages.open("/dashboard/calls?" + FEBRUARY);
    long total = api("/api/vapi/usage?" + FEBRUARY).get("totals").get("calls").longValue();
    List<String> first = ids();
    assertThat(first).hasSize(50);
    assertThat(browser.find("#page-prev").isEnabled()).isFalse();

    List<String> seen = new ArrayList<>(first);
    int pagesSeen = 1;
    while (browser.find("#page-next").isEnabled()) {
      int before = pages.loads();
      browser.find("#page-next").click();
      pages.awaitLoadAfter(before);
      pagesSeen++;
      seen.addAll(ids());
      assertThat(browser.find("#page-number").getText()).startsWith("Page " + pagesSeen);
    }
    Set<String> distinct = new HashSet<>(seen);
    assertThat(distinct).hasSize(seen.size());
    assertThat((long) seen.size()).isEqualTo(total);
    assertThat(seen).containsExactlyElementsOf(allIds("/api/vapi/calls?" + FEBRUARY));

    while (browser.find("#page-prev").isEnabled()) {
      int before = pages.loads();
      browser.find("#page-prev").click();
      pages.awaitLoadAfter(before);
    }
    assertThat(ids()).isEqualTo(first);
    browser.assertNoProblems();
  }

  @Test
  void clickingACall_opensItsDetailWithItsCostItems_andEscapeClosesIt() {
    signIn();
    pages.open("/dashboard/calls?" + FEBRUARY);
    WebElement row = browser.findAll("#calls-table tbody tr").get(2);
    String id = row.getAttribute("data-id");
    JsonNode call = api("/api/vapi/calls/" + id);

    int before = pages.loads();
    row.findElements(By.cssSelector("td")).get(1).click();
    pages.awaitLoadAfter(before);

    browser.visible("#call-detail");
    assertThat(browser.find("#call-id").getText()).isEqualTo(id);
    assertThat(browser.find("#call-status").getText()).isNotEmpty();
    assertThat(browser.findAll("#call-costs tbody tr")).hasSize(call.get("costs").size());
    BigDecimal items = BigDecimal.ZERO;
    for (WebElement cell : browser.findAll("#call-costs tbody tr td:last-child")) {
      items = items.add(new BigDecimal(cell.getAttribute("data-value")));
    }
    assertThat(items).isEqualByComparingTo(call.get("cost").decimalValue());
    assertThat(
            new BigDecimal(
                browser
                    .find("#call-components tr[data-component='llm'] td")
                    .getAttribute("data-value")))
        .isEqualByComparingTo(call.get("costBreakdown").get("llm").decimalValue());
    browser.assertNoProblems();
    pages.screenshots("calls-detail");

    new Actions(browser.driver).sendKeys(Keys.ESCAPE).perform();
    browser.gone("#call-detail");
  }

  @Test
  void theDownloadedCsv_hasEveryCallOfTheRange_andItsCostsSumToThePagesTotal() throws Exception {
    signIn();
    pages.open("/dashboard/calls?" + FEBRUARY);
    Path folder = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "downloads-");
    browser.driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", folder.toString()));

    browser.find("#download-calls").click();
    Path csv = folder.resolve("vapi-calls-2024-02-01-2024-02-15.csv");
    browser.await(driver -> Files.exists(csv) && !hasPartialDownload(folder));

    List<List<String>> records = Csv.parse(Files.readString(csv, StandardCharsets.UTF_8));
    List<String> header = records.get(0);
    assertThat(header).startsWith("id", "createdAt", "startedAt", "endedAt");
    int cost = header.indexOf("cost");
    BigDecimal sum = BigDecimal.ZERO;
    for (List<String> record : records.subList(1, records.size())) {
      if (!record.get(cost).isEmpty()) {
        sum = sum.add(new BigDecimal(record.get(cost)));
      }
    }
    assertThat(sum)
        .isEqualByComparingTo(
            new BigDecimal(browser.find("#calls-total-cost").getAttribute("value")));
    assertThat((long) records.size() - 1)
        .isEqualTo(Long.parseLong(browser.find("#calls-total-calls").getAttribute("value")));
    browser.assertNoProblems();
  }

  @Test
  void clickingABreakdownRowOnTheUsagePage_opensTheCallsPageFilteredByIt_inTheSameRangeAndZone() {
    signIn();
    pages.open("/dashboard/usage");
    pages.showRange("2024-01-10", "2024-01-20", "Asia/Tokyo");
    String tokyo = "startDate=2024-01-10&endDate=2024-01-20&timezone=Asia%2FTokyo";

    browser.find("#byEndedReason-table tr[data-key='voicemail'] a").click();
    browser.await(ExpectedConditions.urlContains("/dashboard/calls?"));
    pages.awaitLoaded();
    assertThat(browser.driver.getCurrentUrl()).contains(tokyo).contains("endedReason=voicemail");
    assertThat(
            new Select(browser.find("#endedReason")).getFirstSelectedOption().getAttribute("value"))
        .isEqualTo("voicemail");
    assertThat(browser.find("#timezone").getAttribute("value")).isEqualTo("Asia/Tokyo");
    assertThat(ids())
        .containsExactlyElementsOf(ids(api("/api/vapi/calls?" + tokyo + "&endedReason=voicemail")));
    assertThat(rows()).allSatisfy(row -> assertThat(row.get("endedReason")).isEqualTo("Voicemail"));
    browser.assertNoProblems();

    browser.driver.navigate().back();
    pages.awaitLoaded();
    browser.find("#byAssistant-table tr[data-key=''] a").click();
    browser.await(ExpectedConditions.urlContains("assistantId=null"));
    pages.awaitLoaded();
    assertThat(ids())
        .containsExactlyElementsOf(ids(api("/api/vapi/calls?" + tokyo + "&assistantId=null")));
    assertThat(rows())
        .allSatisfy(row -> assertThat(row.get("assistant")).isEqualTo("No assistant"));
    pages.screenshots("calls-no-assistant");
  }

  // ------------------------------------------------------------------ helpers

  private static void signIn() {
    pages.signIn(user);
  }

  private static JsonNode api(String pathAndQuery) {
    return pages.api(user, pathAndQuery);
  }

  private JsonNode group(String group, String field, String key) {
    for (JsonNode entry : api("/api/vapi/usage?" + FEBRUARY).get(group)) {
      if (key.equals(entry.get(field).textValue())) {
        return entry;
      }
    }
    throw new AssertionError("No " + key + " in " + group);
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("calls").forEach(call -> ids.add(call.get("id").textValue()));
    return ids;
  }

  /** Every call of a listing, following its cursors. */
  private static List<String> allIds(String listing) {
    List<String> ids = new ArrayList<>();
    JsonNode page = api(listing);
    ids.addAll(ids(page));
    while (!page.get("nextCursor").isNull()) {
      page =
          api(
              listing
                  + "&cursor="
                  + URLEncoder.encode(page.get("nextCursor").textValue(), StandardCharsets.UTF_8));
      ids.addAll(ids(page));
    }
    return ids;
  }

  private List<String> ids() {
    List<String> ids = new ArrayList<>();
    rows().forEach(row -> ids.add(row.get("id")));
    return ids;
  }

  /** The rows of the calls table as the page shows them, read by one script. */
  @SuppressWarnings("unchecked")
  private List<Map<String, String>> rows() {
    return (List<Map<String, String>>)
        browser.script(
            "return Array.from(document.querySelectorAll('#calls-table tbody tr')).map(function (r) {"
                + "  var c = r.querySelectorAll('td'); var cost = r.querySelector('td.cost');"
                + "  var mark = cost.querySelector('.pending');"
                + "  return { id: r.getAttribute('data-id'), assistant: c[0].textContent,"
                + "    assistantTitle: c[0].getAttribute('title') || '', endedReason: c[3].textContent,"
                + "    final: cost.getAttribute('data-final'), mark: mark ? mark.textContent : '' }; });");
  }

  private static boolean hasPartialDownload(Path folder) {
    try (var files = Files.list(folder)) {
      return files.anyMatch(file -> file.getFileName().toString().endsWith(".crdownload"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Just enough RFC 4180 to read the export back: quoted cells with commas, quotes, newlines. */
  static final class Csv {
    private Csv() {}

    static List<List<String>> parse(String text) {
      List<List<String>> records = new ArrayList<>();
      List<String> record = new ArrayList<>();
      StringBuilder cell = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            cell.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          record.add(cell.toString());
          cell.setLength(0);
        } else if (c == '\r') {
          continue;
        } else if (c == '\n') {
          record.add(cell.toString());
          cell.setLength(0);
          records.add(record);
          record = new ArrayList<>();
        } else {
          cell.append(c);
        }
      }
      if (cell.length() > 0 || !record.isEmpty()) {
        record.add(cell.toString());
        records.add(record);
      }
      return records;
    }
  }
}
