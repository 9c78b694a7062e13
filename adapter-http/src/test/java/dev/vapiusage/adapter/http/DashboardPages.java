package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * What the browser tests do on the dashboard of one server: sign in through the login form, open
 * a page and wait until its script has shown the data, read the API as a script would, and save
 * screenshots at desktop and phone width.
 */
final class DashboardPages {
  private final Browser browser;
  private final TestServer server;

  DashboardPages(Browser browser, TestServer server) {
    this.browser = browser;
    this.server = server;
  }

  /** Signs in with the login form, as a person would, and lands on the overview. */
  TestServer.User signIn(TestServer.User user) {
    browser.driver.manage().deleteAllCookies();
    browser.open(server.base + "/login");
    browser.find("#token").sendKeys(user.token());
    browser.find("form[action='/login'] button[type=submit]").click();
    browser.await(ExpectedConditions.urlToBe(server.base + "/dashboard"));
    return user;
  }

  void open(String path) {
    browser.open(server.base + path);
    awaitLoaded();
  }

  /** Waits until the page's script has finished its first render. */
  void awaitLoaded() {
    browser.await(driver -> browser.find("body").getAttribute("data-loaded") != null);
  }

  /** How many renders the page's script has finished. */
  int loads() {
    String value = browser.find("body").getAttribute("data-loaded");
    return value == null ? 0 : Integer.parseInt(value);
  }

  void awaitLoadAfter(int before) {
    browser.await(driver -> loads() > before);
  }

  /** The API's answer for the user, read with its bearer token. */
  JsonNode api(TestServer.User user, String pathAndQuery) {
    TestServer.Response response = server.get(pathAndQuery, user.token());
    assertThat(response.status()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    return response.json();
  }

  /** The page at desktop and at phone width; at phone width nothing may stick out sideways. */
  void screenshots(String name) {
    browser.desktop();
    browser.screenshot(name + "-desktop");
    browser.phone();
    assertThat(browser.overflowsHorizontally()).as(name + " is wider than a phone").isFalse();
    browser.screenshot(name + "-phone");
    browser.desktop();
  }
}
