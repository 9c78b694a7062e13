package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.testing.TestData;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard's other states in headless Chromium: syncing while a page waits for a stale
 * account's sync, an account without calls, a failed sync, a key Vapi stopped accepting, the
 * keyboard, and a session that ended. Each test gets its own server and Vapi, so one test's outage
 * or revoked key never reaches another; the browser is shared and runs in Berlin time.
 */
class DashboardStatesBrowserTest {
  private static Browser browser;
  private TestServer server;
  private DashboardPages pages;

  @BeforeAll
  static void startBrowser() {
    browser = Browser.start("Europe/Berlin");
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void startServer() {
    server = new TestServer();
    pages = new DashboardPages(browser, server);
  }

  @AfterEach
  void stopServer() {
    server.vapi.open();
    server.close();
  }

  private void putSampleCalls() {
    server.vapi.calls.put(SampleCalls.between(LocalDate.of(2024, 1, 1), TestServer.NOW));
  }

  @Test
  void viewingADashboardThatNeedsASync_saysItIsSyncingUntilTheNumbersArrive() {
    putSampleCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    server.vapi.closeGate();

    pages.signIn(user);
    WebElement busy = browser.visible("#busy");
    assertThat(busy.getText()).startsWith("Syncing with Vapi");
    assertThat(busy.getAttribute("role")).isEqualTo("status");
    assertThat(browser.find("#content").getAttribute("aria-busy")).isEqualTo("true");
    pages.screenshots("overview-syncing");

    server.vapi.open();
    pages.awaitLoaded();
    browser.gone("#busy");
    assertThat(browser.find("#content").getAttribute("aria-busy")).isEqualTo("false");
    String calls = browser.find("[data-total='calls']").getAttribute("value");
    assertThat(calls)
        .isEqualTo(
            pages
                .api(user, "/api/vapi/usage?timezone=Europe/Berlin")
                .get("totals")
                .get("calls")
                .asText());
    assertThat(Integer.parseInt(calls)).isPositive();
    browser.assertNoProblems();
  }

  @Test
  void aConnectedAccountWithoutCalls_saysSoWithTheSeedsHintsForMissingMetrics() {
    TestServer.User user = pages.signIn(server.connectedUser(TestData.anyApiKey()));
    pages.awaitLoaded();

    WebElement empty = browser.visible("#empty-no-calls");
    assertThat(empty.getText())
        .contains("No calls this month")
        .contains("Metrics not showing?")
        .contains("Click \"Sync Now\" to manually sync")
        .contains("Check that your Vapi account has usage data")
        .contains("Verify the date range is correct");
    assertThat(browser.find("[data-total='calls']").getText()).isEqualTo("0");
    assertThat(browser.find("[data-total='cost']").getText()).isEqualTo("$0.00");
    assertThat(browser.find("#daily-chart").isDisplayed()).isFalse();
    browser.assertNoProblems();
    pages.screenshots("overview-no-calls");

    int before = pages.loads();
    empty.findElement(By.xpath(".//button[text()='Sync Now']")).click();
    pages.awaitLoadAfter(before);
    assertThat(browser.visible("#empty-no-calls").isDisplayed()).isTrue();
    assertThat(pages.api(user, "/api/vapi/connect").get("lastSyncStatus").textValue())
        .isEqualTo("completed");

    pages.open("/dashboard/usage");
    browser
        .visible("#empty-no-calls")
        .findElement(By.xpath(".//button[text()='Change the date range']"))
        .click();
    assertThat(browser.focused()).isEqualTo("startDate");

    pages.open("/dashboard/billing");
    assertThat(browser.visible("#empty-no-calls").getText()).contains("No calls this month");
    assertThat(browser.find("[data-figure='projection']").getText()).isEqualTo("$0.00");
    assertThat(browser.find("[data-figure='cost-per-minute']").getText()).isEqualTo("–");
    browser.assertNoProblems();
  }

  @Test
  void aFailedSync_saysFailedToSyncMetricsWithWhatToCheck_andTryingAgainRecovers() {
    putSampleCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    server.vapi.calls.unavailable(true);

    pages.signIn(user);
    pages.awaitLoaded();
    WebElement failed = browser.visible("#notice-sync-failed");
    assertThat(failed.getText())
        .contains("Failed to sync metrics")
        .contains("Check your internet connection")
        .contains("Verify Vapi API is accessible")
        .contains("Check server logs for detailed error messages");
    assertThat(failed.getAttribute("role")).isEqualTo("alert");
    assertThat(browser.findAll("#empty-no-calls")).isEmpty();
    browser.assertNoProblems();
    pages.screenshots("overview-sync-failed");

    pages.open("/dashboard/settings");
    assertThat(browser.find("#last-outcome").getText()).isEqualTo("Failed to sync metrics");
    assertThat(browser.visible("#sync-error").getText())
        .contains("Failed to sync metrics")
        .contains("Verify Vapi API is accessible");
    int before = pages.loads();
    browser.find("#sync-now").click();
    pages.awaitLoadAfter(before);
    WebElement error = browser.visible("#sync-error");
    assertThat(error.getText())
        .startsWith("Failed to sync metrics")
        .contains("Check server logs for detailed error messages");
    assertThat(browser.find("#sync-result").getText()).isEmpty();
    browser.assertNoProblems();
    pages.screenshots("settings-sync-failed");

    pages.open("/dashboard");
    browser.visible("#notice-sync-failed");
    server.vapi.calls.unavailable(false);
    before = pages.loads();
    browser
        .find("#notice-sync-failed")
        .findElement(By.xpath(".//button[text()='Try again']"))
        .click();
    pages.awaitLoadAfter(before);
    assertThat(browser.findAll("#notice-sync-failed")).isEmpty();
    assertThat(browser.find("[data-total='calls']").getAttribute("value"))
        .isEqualTo(
            pages
                .api(user, "/api/vapi/usage?timezone=Europe/Berlin")
                .get("totals")
                .get("calls")
                .asText());
    browser.assertNoProblems();
  }

  @Test
  void aKeyThatVapiNoLongerAccepts_saysInvalidApiKey_andLeadsToConnectingANewOne() {
    putSampleCalls();
    ApiKey revoked = TestData.anyApiKey();
    TestServer.User user = server.connectedUser(revoked);
    server.vapi.calls.revoke(revoked);

    pages.signIn(user);
    pages.awaitLoaded();
    WebElement notice = browser.visible("#notice-sync-failed");
    assertThat(notice.getText())
        .contains("Invalid API key")
        .contains("Verify your API key in Vapi dashboard")
        .contains("Make sure you copied the full key")
        .contains("Check that the key hasn't expired");
    browser.assertNoProblems();
    pages.screenshots("overview-invalid-key");

    notice.findElement(By.linkText("Connect a new key")).click();
    browser.await(ExpectedConditions.urlContains("/dashboard/settings#connect"));
    pages.awaitLoaded();
    assertThat(browser.focused()).isEqualTo("apiKey");
    assertThat(browser.find("#last-outcome").getText()).isEqualTo("Failed: Invalid API key");
    assertThat(browser.visible("#sync-error").getText())
        .contains("Invalid API key")
        .contains("Make sure you copied the full key");

    ApiKey fresh = TestData.anyApiKey();
    server.vapi.calls.accept(fresh);
    int before = pages.loads();
    browser.find("#apiKey").sendKeys(fresh.reveal(), Keys.ENTER);
    pages.awaitLoadAfter(before);
    assertThat(browser.find("#connection-state").getText()).isEqualTo("Connected");
    assertThat(browser.findAll("#sync-error > *")).isEmpty();
    assertThat(pages.api(user, "/api/vapi/connect").get("keyHint").textValue())
        .isEqualTo("…" + fresh.reveal().substring(fresh.reveal().length() - 4));
    browser.assertNoProblems();
  }

  @Test
  void theKeyboard_meetsTheSkipLinkFirst_andEscapeClosesTheDisconnectDialogWithoutDisconnecting() {
    TestServer.User user = pages.signIn(server.connectedUser(TestData.anyApiKey()));
    pages.open("/dashboard/settings");

    new Actions(browser.driver).sendKeys(Keys.TAB).perform();
    assertThat(browser.script("return document.activeElement.className;")).isEqualTo("skip-link");
    assertThat(browser.script("return document.activeElement.getBoundingClientRect().top >= 0;"))
        .isEqualTo(true);
    browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    browser.await(driver -> "main".equals(browser.focused()));

    browser.find("#disconnect").sendKeys(Keys.ENTER);
    browser.visible("#confirm-disconnect");
    assertThat(browser.focused()).isEqualTo("confirm-cancel");
    browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    browser.gone("#confirm-disconnect");
    assertThat(browser.focused()).isEqualTo("disconnect");
    assertThat(pages.api(user, "/api/vapi/connect").get("connected").booleanValue()).isTrue();

    browser.find("#apiKey").sendKeys(Keys.ENTER);
    assertThat(browser.visible("#connect-error").getText()).contains("Enter your Vapi API key");
    assertThat(browser.find("#apiKey").getAttribute("aria-invalid")).isEqualTo("true");
    browser.assertNoProblems();
  }

  @Test
  void anActionAfterTheSessionEnded_leadsToTheSignInPage() {
    pages.signIn(server.newUser());
    pages.open("/dashboard/settings");
    browser.driver.manage().deleteAllCookies();

    browser.find("#apiKey").sendKeys("sk-anything", Keys.ENTER);

    browser.await(ExpectedConditions.urlToBe(server.base + "/login"));
    assertThat(browser.find("#token").isDisplayed()).isTrue();
  }
}
