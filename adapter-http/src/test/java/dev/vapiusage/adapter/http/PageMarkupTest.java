package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pages' markup and files as the server sends them, without a browser: everything a page loads
 * comes from this server, nothing is inline (the policy would block it), every field has a label,
 * and Chart.js is served from its webjar.
 */
class PageMarkupTest {
  private static TestServer server;
  private static String session;

  @BeforeAll
  static void start() {
    server = new TestServer();
    session = server.login(server.newUser());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String page(String path) {
    TestServer.Response response =
        server.send("GET", path, null, null, "Cookie", SessionCookie.NAME + "=" + session);
    assertThat(response.status()).isEqualTo(200);
    return response.body();
  }

  private static List<String> all(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/login",
        "/dashboard",
        "/dashboard/usage",
        "/dashboard/calls",
        "/dashboard/billing",
        "/dashboard/settings"
      })
  void aPage_loadsOnlyFilesOfThisServer_andHasNoInlineScriptStyleOrHandler(String path) {
    String html = path.equals("/login") ? server.get(path, null).body() : page(path);

    assertThat(all(Pattern.compile("<script([^>]*)>"), html))
        .allSatisfy(attributes -> assertThat(attributes).contains(" src=\"/assets/"));
    assertThat(all(Pattern.compile("(?:src|href)=\"([^\"]*)\""), html))
        .allSatisfy(url -> assertThat(url).matches("(/[^/].*|#[a-z-]+)"));
    assertThat(html)
        .doesNotContain("<style")
        .doesNotContain(" style=")
        .doesNotContainPattern(" on[a-z]+=");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/login",
        "/dashboard/usage",
        "/dashboard/calls",
        "/dashboard/billing",
        "/dashboard/settings"
      })
  void everyFieldOfAPage_hasALabel(String path) {
    String html = path.equals("/login") ? server.get(path, null).body() : page(path);

    List<String> fields =
        all(
            Pattern.compile("<(?:input|select)(?![^>]*type=\"hidden\")[^>]* id=\"([^\"]+)\""),
            html);
    assertThat(fields).isNotEmpty();
    assertThat(fields).allSatisfy(id -> assertThat(html).contains("<label for=\"" + id + "\""));
  }

  @Test
  void onlyThePagesWithCharts_loadChartJs_andItComesFromTheWebjar() {
    assertThat(page("/dashboard"))
        .containsPattern(
            "<script src=\"/assets/chart\\.umd\\.js\\?v=[0-9a-f]{16}\" defer></script>\n<script type=\"module\" src=\"/assets/app\\.js\\?v=[0-9a-f]{16}\"></script>");
    assertThat(page("/dashboard/usage")).contains("/assets/chart.umd.js");
    assertThat(page("/dashboard/billing")).contains("/assets/chart.umd.js");
    assertThat(page("/dashboard/settings"))
        .doesNotContain("chart.umd.js")
        .contains("/assets/app.js");
    assertThat(page("/dashboard/calls")).doesNotContain("chart.umd.js").contains("/assets/app.js");
    assertThat(server.get("/login", null).body()).doesNotContain("<script");

    TestServer.Response chart = server.get("/assets/chart.umd.js", null);
    assertThat(chart.status()).isEqualTo(200);
    assertThat(chart.header("Content-Type")).startsWith("text/javascript");
    assertThat(chart.header("Cache-Control")).contains("public");
    assertThat(chart.body())
        .startsWith("/*!")
        .contains("Chart.js v" + Assets.webjarVersion("chart.js"));
    assertThat(Assets.webjarVersion("chart.js")).matches("4\\.[0-9]+\\.[0-9]+");
    assertThat(server.get("/assets/chart.umd.js.map", null).status()).isEqualTo(200);
    assertThat(server.get("/assets/icon.svg", null).header("Content-Type"))
        .startsWith("image/svg+xml");
  }

  @Test
  void thePageScript_isModulesWhoseVersionedImportsAreCachedForGood() {
    Matcher script =
        Pattern.compile("src=\"/assets/app\\.js\\?v=([0-9a-f]{16})\"")
            .matcher(page("/dashboard/usage"));
    assertThat(script.find()).isTrue();
    TestServer.Response entry = server.get("/assets/app.js?v=" + script.group(1), null);
    assertThat(entry.status()).isEqualTo(200);
    assertThat(entry.header("Content-Type")).startsWith("text/javascript");
    assertThat(entry.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    Matcher usage =
        Pattern.compile("from '\\./usage\\.js\\?v=([0-9a-f]{16})'").matcher(entry.body());
    assertThat(usage.find()).as(entry.body()).isTrue();
    assertThat(server.get("/assets/usage.js?v=" + usage.group(1), null).header("Cache-Control"))
        .endsWith("immutable");
    // Unversioned or with another version: the file, but not for good.
    assertThat(server.get("/assets/usage.js", null).header("Cache-Control"))
        .isEqualTo("public, max-age=3600");
    assertThat(server.get("/assets/usage.js?v=0000000000000000", null).header("Cache-Control"))
        .isEqualTo("public, max-age=3600");
  }

  @Test
  void theSettingsPage_carriesTheSeedsWordsForConnectingSyncingAndDisconnecting() {
    String html = page("/dashboard/settings");

    assertThat(html)
        .contains("<h2 id=\"integration-title\">Vapi Integration</h2>")
        .contains(">Connect Vapi Account</button>")
        .contains(">Sync Now</button>")
        .contains(">Disconnect</button>")
        .contains("Go to Settings → API Keys.")
        .contains("Metrics are automatically synced when you view the dashboard.")
        .contains("<dialog id=\"confirm-disconnect\"")
        .contains("<input type=\"hidden\" name=\"csrf\" value=\"");
  }

  @Test
  void theSettingsPage_carriesTheLiveUpdatesSection_withItsFieldsStepsAndConfirmation() {
    String html = page("/dashboard/settings");

    assertThat(html)
        .contains("<h2 id=\"live-title\">Live updates from Vapi</h2>")
        .contains("appears after you connect your Vapi account")
        .contains("<div id=\"live-setup\" hidden>")
        .containsPattern("<input id=\"webhook-url\" type=\"text\" readonly[^>]*>")
        .containsPattern("<input id=\"webhook-secret-value\" type=\"text\" readonly[^>]*>")
        .contains(">Create secret</button>")
        .contains("it will not be shown again")
        .contains("<ol class=\"steps setup-steps\" id=\"vapi-steps\"")
        .contains("<code>x-signature</code>")
        .contains("<code>x-timestamp</code>")
        .contains("<code>{timestamp}.{body}</code>")
        .contains("<code>end-of-call-report</code>")
        .contains("<code>status-update</code>")
        .contains("<dialog id=\"confirm-secret\"");
  }
}
