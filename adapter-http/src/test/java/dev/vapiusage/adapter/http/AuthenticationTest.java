package dev.vapiusage.adapter.http;

import static dev.vapiusage.adapter.http.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.testing.TestData;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticationTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String cookie(String sessionId) {
    return SessionCookie.NAME + "=" + sessionId;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/api/vapi/connect", "/api/vapi/metrics", "/api/vapi/usage"})
  void anApiRequestWithoutCredentials_answersUnauthorized(String path) {
    TestServer.Response response = server.get(path, null);

    assertError(response, 401, "unauthorized");
    assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void aHeadRequest_isAuthenticatedLikeItsGet() {
    TestServer.User user = server.newUser();

    assertThat(server.send("HEAD", "/api/vapi/connect", null, null).status()).isEqualTo(401);
    assertThat(server.send("HEAD", "/api/vapi/connect", user.token(), null).status())
        .isEqualTo(200);
    assertThat(server.send("HEAD", "/dashboard", null, null).status()).isEqualTo(303);
  }

  @Test
  void stateChangingApiRequestsWithoutCredentials_answerUnauthorized() {
    assertError(
        server.send("POST", "/api/vapi/connect", null, "{\"apiKey\":\"sk-1\"}"),
        401,
        "unauthorized");
    assertError(server.send("DELETE", "/api/vapi/connect", null, null), 401, "unauthorized");
    assertError(server.send("POST", "/api/vapi/sync", null, null), 401, "unauthorized");
  }

  @ParameterizedTest(name = "Authorization: {0}")
  @ValueSource(
      strings = {
        "Bearer",
        "Bearer ",
        "Bearer vu_not-a-real-token",
        "bearer garbage",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearerabc"
      })
  void anUnknownOrMalformedAuthorization_answersUnauthorized(String authorization) {
    TestServer.Response response =
        server.send("GET", "/api/vapi/connect", null, null, "Authorization", authorization);

    assertError(response, 401, "unauthorized");
  }

  @Test
  void aBadBearerToken_isNotRescuedByAValidSessionCookie() {
    TestServer.User user = server.newUser();
    String session = server.login(user);

    TestServer.Response response =
        server.send("GET", "/api/vapi/connect", "vu_wrong", null, "Cookie", cookie(session));

    assertError(response, 401, "unauthorized");
  }

  @Test
  void theBearerScheme_isCaseInsensitive_andTheTokenMayBeSurroundedBySpaces() {
    TestServer.User user = server.newUser();

    TestServer.Response response =
        server.send(
            "GET",
            "/api/vapi/connect",
            null,
            null,
            "Authorization",
            "bEaReR   " + user.token() + "  ");

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void theLoginPage_isAFormPostingTheTokenFieldToLogin() {
    TestServer.Response response = server.get("/login", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.body())
        .contains("<form method=\"post\" action=\"/login\"")
        .contains("name=\"token\"")
        .doesNotContain("<script>")
        .doesNotContain("style=");
  }

  @Test
  void aGoodToken_signsInWithA303ToTheDashboard_andAnHttpOnlySameSiteSessionCookie() {
    TestServer.User user = server.newUser();

    TestServer.Response response =
        server.send(
            "POST",
            "/login",
            null,
            "token=" + user.token(),
            "Content-Type",
            "application/x-www-form-urlencoded");

    assertThat(response.status()).isEqualTo(303);
    assertThat(response.header("Location")).isEqualTo("/dashboard");
    String setCookie = response.header("Set-Cookie");
    assertThat(setCookie)
        .startsWith(SessionCookie.NAME + "=")
        .contains("; HttpOnly")
        .contains("; SameSite=Lax")
        .contains("; Path=/")
        .doesNotContain("Secure");
    String id = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    assertThat(Base64.getUrlDecoder().decode(id)).hasSize(32);
    assertThat(id).isNotEqualTo(user.token());
  }

  @Test
  void theSessionCookie_authenticatesApiReads() {
    TestServer.User user = server.newUser();
    String session = server.login(user);

    TestServer.Response response =
        server.send("GET", "/api/vapi/connect", null, null, "Cookie", cookie(session));

    assertThat(response.status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(
      strings = {"token=vu_wrong", "token=", "", "nothing=here", "token=%zz", "token=" + "x"})
  void aBadToken_answers401WithTheLoginPageAndAMessage(String body) {
    TestServer.Response response =
        server.send(
            "POST", "/login", null, body, "Content-Type", "application/x-www-form-urlencoded");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.body()).contains("name=\"token\"").contains("That token is not valid");
    assertThat(response.header("Set-Cookie")).isNull();
  }

  @Test
  void aLoginPostedFromAForeignPage_isRefused() {
    TestServer.User user = server.newUser();

    TestServer.Response response =
        server.send(
            "POST",
            "/login",
            null,
            "token=" + user.token(),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Origin",
            "https://evil.example");

    assertError(response, 403, "forbidden");
    assertThat(response.header("Set-Cookie")).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"/dashboard", "/dashboard/usage", "/dashboard/billing", "/dashboard/settings"})
  void aDashboardPageWithoutASession_redirectsToLogin(String path) {
    assertThat(server.get(path, null).status()).isEqualTo(303);
    assertThat(server.get(path, null).header("Location")).isEqualTo("/login");
    assertThat(server.send("GET", path, null, null, "Cookie", cookie("forged")).header("Location"))
        .isEqualTo("/login");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"/dashboard", "/dashboard/usage", "/dashboard/billing", "/dashboard/settings"})
  void aDashboardPageWithASession_isAServerRenderedPageWithTheCsrfMetaTagAndStrictHeaders(
      String path) {
    TestServer.User user = server.newUser();
    String session = server.login(user);

    TestServer.Response response = server.send("GET", path, null, null, "Cookie", cookie(session));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.body())
        .contains("<meta name=\"csrf-token\" content=\"")
        .contains("<title>")
        .contains("<nav>")
        .contains("href=\"/dashboard/settings\"")
        .contains("action=\"/logout\"")
        .doesNotContain("http://")
        .doesNotContain("https://");
    String csp = response.header("Content-Security-Policy");
    assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'");
    assertThat(csp.replace("'self'", "").replace("'none'", ""))
        .doesNotContain("'")
        .doesNotContain("http")
        .doesNotContain("*");
    assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void theRoot_redirectsToTheDashboard_andTheAssetsAreServedWithTheirTypes() {
    assertThat(server.get("/", null).header("Location")).isEqualTo("/dashboard");
    TestServer.Response css = server.get("/assets/app.css", null);
    TestServer.Response js = server.get("/assets/app.js", null);

    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("Content-Type")).startsWith("text/css");
    assertThat(js.header("Content-Type")).startsWith("text/javascript");
    assertThat(js.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertError(server.get("/assets/missing.js", null), 404, "not_found");
    assertError(server.get("/assets/..%2Fopenapi.json", null), 404, "not_found");
  }

  @Test
  void aCookiePostWithoutOriginOrReferer_isForbidden() {
    String session = server.login(server.newUser());

    assertError(
        server.send("DELETE", "/api/vapi/connect", null, null, "Cookie", cookie(session)),
        403,
        "forbidden");
    assertError(
        server.send("POST", "/api/vapi/sync", null, null, "Cookie", cookie(session)),
        403,
        "forbidden");
  }

  @ParameterizedTest(name = "Origin: {0}")
  @ValueSource(
      strings = {
        "https://evil.example",
        "null",
        "http://127.0.0.1",
        "https://127.0.0.1:PORT",
        "http://127.0.0.1:1",
        "http://127.0.0.1.evil.example:PORT",
        "not a url"
      })
  void aCookiePostFromAForeignOrigin_isForbidden_andChangesNothing(String origin) {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    String session = server.login(user);
    String csrf = server.csrfToken(session);

    TestServer.Response response =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(session),
            "Origin",
            origin.replace("PORT", Integer.toString(server.server.port())),
            "X-CSRF-Token",
            csrf);

    assertError(response, 403, "forbidden");
    assertThat(server.integrations.find(user.id()).orElseThrow().isConnected()).isTrue();
  }

  @Test
  void aCookiePostFromAForeignRefererWithoutOrigin_isForbidden() {
    String session = server.login(server.newUser());

    TestServer.Response response =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(session),
            "Referer",
            "https://evil.example/page");

    assertError(response, 403, "forbidden");
  }

  @Test
  void aCookiePostMarkedCrossSiteByTheBrowser_isForbiddenWhateverItsOrigin() {
    String session = server.login(server.newUser());

    TestServer.Response response =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(session),
            "Origin",
            server.origin(),
            "Sec-Fetch-Site",
            "cross-site");

    assertError(response, 403, "forbidden");
  }

  @Test
  void aCookiePostFromTheSameOriginWithTheCsrfToken_isAccepted() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    String session = server.login(user);
    String csrf = server.csrfToken(session);

    TestServer.Response response =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(session),
            "Origin",
            server.origin(),
            "Sec-Fetch-Site",
            "same-origin",
            "X-CSRF-Token",
            csrf);

    assertThat(response.status()).isEqualTo(200);
    assertThat(server.integrations.find(user.id()).orElseThrow().isConnected()).isFalse();
  }

  @Test
  void theOriginCheck_acceptsTheServerReachedAsLocalhostOrByItsRefererAlone() {
    String session = server.login(server.newUser());
    String port = Integer.toString(server.server.port());

    TestServer.Response viaLocalhost =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(session),
            "Origin",
            "http://localhost:" + port);
    TestServer.Response viaReferer =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(session),
            "Referer",
            server.origin() + "/dashboard/settings");

    assertThat(viaLocalhost.status()).isEqualTo(200);
    assertThat(viaReferer.status()).isEqualTo(200);
  }

  @Test
  void aCookiePostFromTheSameOriginWithAWrongCsrfToken_isForbidden() {
    String session = server.login(server.newUser());

    TestServer.Response response =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(session),
            "Origin",
            server.origin(),
            "X-CSRF-Token",
            "wrong");

    assertError(response, 403, "forbidden");
  }

  @Test
  void theCsrfTokenOfOneSession_doesNotWorkForAnother() {
    String first = server.login(server.newUser());
    String second = server.login(server.newUser());

    TestServer.Response response =
        server.send(
            "DELETE",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            cookie(second),
            "Origin",
            server.origin(),
            "X-CSRF-Token",
            server.csrfToken(first));

    assertError(response, 403, "forbidden");
  }

  @Test
  void aBearerPost_needsNeitherOriginNorCsrfToken() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    TestServer.Response response =
        server.send(
            "DELETE", "/api/vapi/connect", user.token(), null, "Origin", "https://evil.example");

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void logout_endsTheSessionClearsTheCookieAndRedirectsToLogin() {
    String session = server.login(server.newUser());
    String csrf = server.csrfToken(session);

    TestServer.Response response =
        server.send(
            "POST",
            "/logout",
            null,
            "csrf=" + csrf,
            "Cookie",
            cookie(session),
            "Origin",
            server.origin(),
            "Content-Type",
            "application/x-www-form-urlencoded");

    assertThat(response.status()).isEqualTo(303);
    assertThat(response.header("Location")).isEqualTo("/login");
    assertThat(response.header("Set-Cookie"))
        .startsWith(SessionCookie.NAME + "=;")
        .contains("Max-Age=0");
    assertError(
        server.send("GET", "/api/vapi/connect", null, null, "Cookie", cookie(session)),
        401,
        "unauthorized");
    assertThat(server.send("GET", "/dashboard", null, null, "Cookie", cookie(session)).status())
        .isEqualTo(303);
  }

  @Test
  void aLogoutFromAForeignPage_isForbidden_andKeepsTheSession() {
    String session = server.login(server.newUser());

    assertError(
        server.send("POST", "/logout", null, null, "Cookie", cookie(session)), 403, "forbidden");
    assertError(
        server.send(
            "POST",
            "/logout",
            null,
            null,
            "Cookie",
            cookie(session),
            "Origin",
            "https://evil.example"),
        403,
        "forbidden");

    assertThat(
            server.send("GET", "/api/vapi/connect", null, null, "Cookie", cookie(session)).status())
        .isEqualTo(200);
  }

  @Test
  void givenNoSession_logout_stillRedirectsToLogin() {
    TestServer.Response response = server.send("POST", "/logout", null, null);

    assertThat(response.status()).isEqualTo(303);
    assertThat(response.header("Location")).isEqualTo("/login");
  }

  @Test
  void aSession_expiresAfterItsLifetime() {
    try (TestServer shortLived = new TestServer()) {
      String session = shortLived.login(shortLived.newUser());
      assertThat(
              shortLived.send("GET", "/dashboard", null, null, "Cookie", cookie(session)).status())
          .isEqualTo(200);

      shortLived.clock.advance(SessionStore.DEFAULT_TTL.plus(Duration.ofSeconds(1)));

      assertThat(
              shortLived.send("GET", "/dashboard", null, null, "Cookie", cookie(session)).status())
          .isEqualTo(303);
      assertError(
          shortLived.send("GET", "/api/vapi/connect", null, null, "Cookie", cookie(session)),
          401,
          "unauthorized");
    }
  }

  @Test
  void signingInAgain_issuesANewSession_andRetiresTheOldOne() {
    TestServer.User user = server.newUser();
    String first = server.login(user);

    TestServer.Response again =
        server.send(
            "POST",
            "/login",
            null,
            "token=" + user.token(),
            "Content-Type",
            "application/x-www-form-urlencoded",
            "Cookie",
            cookie(first));

    assertThat(again.status()).isEqualTo(303);
    assertThat(again.header("Set-Cookie")).doesNotContain(first);
    assertError(
        server.send("GET", "/api/vapi/connect", null, null, "Cookie", cookie(first)),
        401,
        "unauthorized");
  }

  @Test
  void aSessionCookieAmongOtherCookies_isFound() {
    String session = server.login(server.newUser());

    TestServer.Response response =
        server.send(
            "GET",
            "/api/vapi/connect",
            null,
            null,
            "Cookie",
            "a=1; " + cookie(session) + "; b=\"2\"");

    assertThat(response.status()).isEqualTo(200);
  }
}
