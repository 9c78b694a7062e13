package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.testing.TestData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The Settings page's "Live updates from Vapi" section in headless Chromium, against the real
 * server: the webhook URL the API gives, a webhook secret shown once, replacing it only after a
 * confirmation, and the set-up steps for Vapi's dashboard; all under the page's
 * Content-Security-Policy without a script error.
 */
class LiveUpdatesSettingsBrowserTest {
  /** A server message the webhook accepts and ignores: proves a secret without storing a call. */
  private static final String IGNORED_MESSAGE = "{\"message\":{\"type\":\"speech-update\"}}";

  private static Browser browser;
  private static TestServer server;
  private static DashboardPages pages;

  @BeforeAll
  static void start() {
    browser = Browser.start(DashboardBrowserTest.ZONE);
    server = new TestServer();
    pages = new DashboardPages(browser, server);
    // The Copy buttons write to the clipboard, which a headless browser only opens when told to.
    browser.driver.executeCdpCommand(
        "Browser.grantPermissions",
        Map.of(
            "origin",
            server.base,
            "permissions",
            List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
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
  void whileNotConnected_theSectionSaysItAppearsAfterConnecting_andShowsNoUrl() {
    pages.signIn(server.newUser());
    pages.open("/dashboard/settings");

    assertThat(browser.visible("#live-not-connected").getText())
        .contains("appears after you connect your Vapi account");
    assertThat(browser.find("#live-setup").isDisplayed()).isFalse();
    assertThat(browser.find("#webhook-url").getAttribute("value")).isEmpty();
    browser.assertNoProblems();
  }

  @Test
  void whenConnected_theSectionShowsTheApisWebhookUrl_withACopyButtonAndTheSetUpSteps() {
    TestServer.User user = pages.signIn(connectedUser());
    pages.open("/dashboard/settings");

    String webhookUrl = pages.api(user, "/api/vapi/connect").get("webhookUrl").textValue();
    assertThat(webhookUrl).startsWith(server.base + "/api/vapi/webhook/");
    WebElement field = browser.visible("#webhook-url");
    assertThat(field.getAttribute("value")).isEqualTo(webhookUrl);
    assertThat(field.getAttribute("readonly")).isNotNull();
    assertThat(browser.find("#live-not-connected").isDisplayed()).isFalse();

    browser.find("#copy-webhook-url").click();
    browser.textIn("#webhook-url-copied", "Copied.");
    assertThat(clipboard()).isEqualTo(webhookUrl);

    List<String> steps =
        browser.findAll("#vapi-steps > li").stream().map(WebElement::getText).toList();
    assertThat(steps).hasSize(4);
    assertThat(steps.get(0)).contains("Vapi's dashboard").contains("Server");
    assertThat(steps.get(1)).contains("Server URL");
    assertThat(steps.get(2))
        .contains("Bearer Token")
        .contains("HMAC")
        .contains("sha256")
        .contains("x-signature")
        .contains("x-timestamp")
        .contains("{timestamp}.{body}");
    assertThat(steps.get(3)).contains("end-of-call-report").contains("status-update");
    assertThat(browser.find("#secret-shown").isDisplayed()).isFalse();
    browser.assertNoProblems();
    pages.screenshots("settings-live-updates");
  }

  @Test
  void creatingASecret_showsItOnceAndItWorks_andAReloadDoesNotShowItAgain() {
    TestServer.User user = pages.signIn(connectedUser());
    pages.open("/dashboard/settings");
    assertThat(browser.find("#webhook-secret").getText()).isEqualTo("Create secret");

    String secret = makeSecret("Create a webhook secret?", "Create secret");

    assertThat(secret).matches("[A-Za-z0-9_-]{20,}");
    assertThat(browser.find("#secret-once").getText()).contains("will not be shown again");
    assertThat(browser.focused()).isEqualTo("webhook-secret-value");
    assertThat(push(user, secret)).isEqualTo(200);
    browser.find("#copy-webhook-secret").click();
    browser.textIn("#webhook-secret-copied", "Copied.");
    assertThat(clipboard()).isEqualTo(secret);
    browser.assertNoProblems();
    pages.screenshots("settings-webhook-secret");

    pages.open("/dashboard/settings");
    assertThat(browser.visible("#webhook-url").getAttribute("value")).isNotEmpty();
    assertThat(browser.find("#secret-shown").isDisplayed()).isFalse();
    assertThat(browser.find("#webhook-secret-value").getAttribute("value")).isEmpty();
    assertThat(browser.driver.getPageSource()).doesNotContain(secret);
    // The secret still works: only a new one replaces it.
    assertThat(push(user, secret)).isEqualTo(200);
    browser.assertNoProblems();
  }

  @Test
  void replacingTheSecret_asksFirst_cancellingKeepsIt_andConfirmingStopsTheOldOneAtOnce() {
    TestServer.User user = pages.signIn(connectedUser());
    pages.open("/dashboard/settings");
    String first = makeSecret("Create a webhook secret?", "Create secret");
    assertThat(browser.find("#webhook-secret").getText()).isEqualTo("Replace secret");

    browser.find("#webhook-secret").click();
    browser.visible("#confirm-secret");
    assertThat(browser.find("#confirm-secret-title").getText())
        .isEqualTo("Replace the webhook secret?");
    assertThat(browser.find("#confirm-secret-text").getText()).contains("stops working at once");
    assertThat(browser.focused()).isEqualTo("confirm-secret-cancel");
    pages.screenshots("settings-confirm-secret");
    browser.find("#confirm-secret-cancel").click();
    browser.gone("#confirm-secret");
    assertThat(browser.focused()).isEqualTo("webhook-secret");
    assertThat(browser.find("#webhook-secret-value").getAttribute("value")).isEqualTo(first);
    assertThat(push(user, first)).isEqualTo(200);

    String second = makeSecret("Replace the webhook secret?", "Replace secret");

    assertThat(second).isNotEqualTo(first);
    assertThat(push(user, first)).isEqualTo(401);
    assertThat(push(user, second)).isEqualTo(200);
    browser.assertNoProblems();
  }

  @Test
  void disconnecting_hidesTheSection_andForgetsTheSecretShown() {
    TestServer.User user = pages.signIn(connectedUser());
    pages.open("/dashboard/settings");
    makeSecret("Create a webhook secret?", "Create secret");

    pages.disconnectWithConfirmation(user.token());

    assertThat(browser.find("#live-setup").isDisplayed()).isFalse();
    assertThat(browser.find("#live-not-connected").isDisplayed()).isTrue();
    assertThat(browser.find("#webhook-secret-value").getAttribute("value")).isEmpty();
    // Hidden, so its text is read from the document: a later connect starts from "Create".
    assertThat(browser.find("#webhook-secret").getAttribute("textContent"))
        .isEqualTo("Create secret");
    browser.assertNoProblems();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Clicks the secret button, sees the confirmation with this title and button, confirms, and
   * answers the secret the page then shows.
   */
  private String makeSecret(String title, String confirmButton) {
    String before = browser.find("#webhook-secret-value").getAttribute("value");
    int loads = pages.loads();
    browser.find("#webhook-secret").click();
    browser.visible("#confirm-secret");
    assertThat(browser.find("#confirm-secret-title").getText()).isEqualTo(title);
    assertThat(browser.find("#confirm-secret-yes").getText()).isEqualTo(confirmButton);
    browser.find("#confirm-secret-yes").click();
    browser.gone("#confirm-secret");
    pages.awaitLoadAfter(loads);
    WebElement field = browser.visible("#webhook-secret-value");
    String secret = field.getAttribute("value");
    assertThat(secret).isNotEmpty().isNotEqualTo(before);
    assertThat(browser.find("#webhook-secret").getText()).isEqualTo("Replace secret");
    assertThat(browser.findAll("#secret-error > *")).isEmpty();
    return secret;
  }

  /** The status of a server message sent to the user's webhook with this secret as Bearer. */
  private int push(TestServer.User user, String secret) {
    String url = pages.api(user, "/api/vapi/connect").get("webhookUrl").textValue();
    String path = url.substring(server.base.length());
    return server
        .send("POST", path, null, IGNORED_MESSAGE, "Authorization", "Bearer " + secret)
        .status();
  }

  private String clipboard() {
    return (String)
        browser.driver.executeAsyncScript(
            "var done = arguments[arguments.length - 1];"
                + " navigator.clipboard.readText().then(done, function (e) { done('error: ' + e); });");
  }

  private TestServer.User connectedUser() {
    return server.connectedUser(TestData.anyApiKey());
  }
}
