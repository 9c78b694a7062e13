package dev.vapiusage.adapter.http;

import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.DisconnectVapi;
import dev.vapiusage.application.ExportCalls;
import dev.vapiusage.application.FetchLiveMetrics;
import dev.vapiusage.application.GetCall;
import dev.vapiusage.application.GetDashboardUsage;
import dev.vapiusage.application.GetIntegrationStatus;
import dev.vapiusage.application.ListCalls;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncSettings;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.application.WatchUsage;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.testing.TestData;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Open dashboard pages in headless Chromium follow the stored data by themselves: a call stored
 * while a page is open shows within two seconds, without navigating, and a page whose server
 * restarts reconnects and shows what changed while it was away.
 */
class LivePagesBrowserTest {
  private static final String HOST_USER_COOKIE = "host-user";

  private static Browser browser;
  private static TestServer server;
  private static DashboardPages pages;

  @BeforeAll
  static void start() {
    browser = Browser.start("UTC");
    server = new TestServer();
    pages = new DashboardPages(browser, server.base, null);
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
  void givenAnOpenOverview_aStoredCall_showsInItsFiguresWithinTwoSeconds() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    pages.signIn(user.token());
    pages.open("/dashboard");
    double calls = pages.figureValue("[data-total='calls']");
    browser.script("window.__sameDocument = true;");

    server.usage.store(
        user.id(), List.of(endedCall(TestServer.NOW.minusSeconds(3600), 90, "0.25")));

    within(Duration.ofSeconds(2))
        .until(driver -> pages.figureValue("[data-total='calls']") == calls + 1);
    assertThat(browser.script("return window.__sameDocument === true;")).isEqualTo(true);
    assertThat(browser.findAll("#busy")).noneMatch(busy -> busy.isDisplayed());
    browser.assertNoProblems();
  }

  @Test
  void givenTheCallsPageOnItsFirstPage_aStoredCall_appearsAsTheNewestRowWithinTwoSeconds() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    pages.signIn(user.token());
    pages.open("/dashboard/calls");
    browser.script("window.__sameDocument = true;");
    String callId = TestData.anyCallId();

    server.usage.store(
        user.id(), List.of(endedCall(callId, TestServer.NOW.minusSeconds(60), 30, "0.05")));

    within(Duration.ofSeconds(2))
        .until(
            driver ->
                !browser.findAll("#calls-table tbody tr[data-id='" + callId + "']").isEmpty());
    assertThat(browser.script("return window.__sameDocument === true;")).isEqualTo(true);
    browser.assertNoProblems();
  }

  @Test
  void givenAServerThatRestarts_theOpenPage_reconnectsAndShowsWhatChangedMeanwhile() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    Javalin host = host(0);
    int port = host.port();
    String base = "http://127.0.0.1:" + port;
    try {
      browser.open(base + "/no-page-here");
      browser.driver.manage().addCookie(new Cookie(HOST_USER_COOKIE, user.id().value()));
      DashboardPages hosted = new DashboardPages(browser, base, null);
      hosted.open("/dashboard");
      double calls = hosted.figureValue("[data-total='calls']");
      browser.script("window.__sameDocument = true;");

      host.stop();
      server.usage.store(
          user.id(), List.of(endedCall(TestServer.NOW.minusSeconds(600), 60, "0.10")));
      host = host(port);

      within(Duration.ofSeconds(10))
          .until(driver -> hosted.figureValue("[data-total='calls']") == calls + 1);
      assertThat(browser.script("return window.__sameDocument === true;")).isEqualTo(true);
    } finally {
      host.stop();
    }
  }

  private static WebDriverWait within(Duration time) {
    return new WebDriverWait(browser.driver, time, Duration.ofMillis(50));
  }

  /**
   * A host application on the test server's stores that knows its user from a cookie (trusting it,
   * as only a test may): unlike the standalone server's sessions it survives a restart.
   */
  private static Javalin host(int port) {
    SyncUsage sync =
        new SyncUsage(
            server.integrations,
            server.vault,
            server.vapi,
            server.usage,
            server.lease,
            server.cursors,
            server.clock,
            SyncSettings.DEFAULTS,
            SyncListener.NONE);
    VapiUsageRoutes routes =
        VapiUsageRoutes.builder()
            .connectVapi(
                new ConnectVapi(server.integrations, server.vault, server.vapi, server.clock))
            .disconnectVapi(new DisconnectVapi(server.integrations, server.clock))
            .integrationStatus(new GetIntegrationStatus(server.integrations))
            .liveMetrics(new FetchLiveMetrics(server.integrations, server.vault, server.vapi))
            .syncUsage(sync)
            .dashboardUsage(
                new GetDashboardUsage(
                    server.integrations,
                    server.usage,
                    sync,
                    server.clock,
                    Duration.ofMinutes(5),
                    null,
                    server.names,
                    server.usage))
            .listCalls(new ListCalls(server.usage, server.names, server.signingKeys, server.clock))
            .getCall(new GetCall(server.usage, server.names, server.clock))
            .exportCalls(new ExportCalls(server.usage, server.names, server.clock))
            .manageWebhook(server.manageWebhook)
            .acceptServerMessage(
                new AcceptServerMessage(
                    server.webhooks,
                    server.integrations,
                    server.vault,
                    new SimpleServerMessages(),
                    server.usage,
                    server.clock))
            .watchUsage(new WatchUsage(server.versions))
            .manageWebhook(server.manageWebhook)
            .acceptServerMessage(
                new AcceptServerMessage(
                    server.webhooks,
                    server.integrations,
                    server.vault,
                    new SimpleServerMessages(),
                    server.usage,
                    server.clock))
            .currentUser(ctx -> Optional.ofNullable(ctx.cookie(HOST_USER_COOKIE)).map(UserId::of))
            .clock(server.clock)
            .build();
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              routes.registerOn(config);
            });
    return app.start("127.0.0.1", port);
  }
}
