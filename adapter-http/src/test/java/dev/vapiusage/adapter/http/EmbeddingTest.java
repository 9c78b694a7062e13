package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.DisconnectVapi;
import dev.vapiusage.application.ExportCalls;
import dev.vapiusage.application.FetchLiveMetrics;
import dev.vapiusage.application.GetCall;
import dev.vapiusage.application.GetDashboardUsage;
import dev.vapiusage.application.GetIntegrationStatus;
import dev.vapiusage.application.ListCalls;
import dev.vapiusage.application.ManageWebhook;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncSettings;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.application.WatchUsage;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.testing.InMemoryAssistantNames;
import dev.vapiusage.domain.testing.InMemoryDataVersions;
import dev.vapiusage.domain.testing.InMemoryIntegrationRepository;
import dev.vapiusage.domain.testing.InMemoryKeyVault;
import dev.vapiusage.domain.testing.InMemoryMetricsSource;
import dev.vapiusage.domain.testing.InMemorySigningKeys;
import dev.vapiusage.domain.testing.InMemorySyncCursors;
import dev.vapiusage.domain.testing.InMemorySyncLease;
import dev.vapiusage.domain.testing.InMemoryUsageRepository;
import dev.vapiusage.domain.testing.InMemoryWebhookEndpoints;
import dev.vapiusage.domain.testing.MutableClock;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A host application mounts the routes on its own Javalin and names the user itself. */
class EmbeddingTest {
  private static final String HOST_USER_HEADER = "X-Host-User";

  private final MutableClock clock = new MutableClock(TestServer.NOW);
  private final InMemoryIntegrationRepository integrations = new InMemoryIntegrationRepository();
  private final InMemoryKeyVault vault = new InMemoryKeyVault();
  private final InMemoryWebhookEndpoints webhooks = new InMemoryWebhookEndpoints();
  private final InMemoryMetricsSource vapi = new InMemoryMetricsSource();
  private final InMemoryDataVersions versions = new InMemoryDataVersions();
  private final InMemoryUsageRepository usage = new InMemoryUsageRepository(versions);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private Javalin host;

  @AfterEach
  void stop() {
    if (host != null) {
      host.stop();
    }
  }

  /** The host knows its users from its own (here: trivially trusting) header. */
  private static Optional<UserId> hostUser(io.javalin.http.Context ctx) {
    return Optional.ofNullable(ctx.header(HOST_USER_HEADER)).map(UserId::of);
  }

  private VapiUsageRoutes.Builder routes() {
    SyncUsage sync =
        new SyncUsage(
            integrations,
            vault,
            vapi,
            usage,
            new InMemorySyncLease(),
            new InMemorySyncCursors(),
            clock,
            SyncSettings.DEFAULTS,
            SyncListener.NONE);
    return VapiUsageRoutes.builder()
        .connectVapi(new ConnectVapi(integrations, vault, vapi, clock))
        .disconnectVapi(new DisconnectVapi(integrations, clock))
        .integrationStatus(new GetIntegrationStatus(integrations))
        .liveMetrics(new FetchLiveMetrics(integrations, vault, vapi))
        .syncUsage(sync)
        .dashboardUsage(
            new GetDashboardUsage(integrations, usage, sync, clock, Duration.ofMinutes(5)))
        .listCalls(
            new ListCalls(usage, new InMemoryAssistantNames(), new InMemorySigningKeys(), clock))
        .getCall(new GetCall(usage, new InMemoryAssistantNames(), clock))
        .exportCalls(new ExportCalls(usage, new InMemoryAssistantNames(), clock))
        .manageWebhook(new ManageWebhook(webhooks, vault))
        .acceptServerMessage(
            new AcceptServerMessage(
                webhooks, integrations, vault, new SimpleServerMessages(), usage, clock))
        .watchUsage(new WatchUsage(versions))
        .currentUser(EmbeddingTest::hostUser)
        .clock(clock)
        .meterRegistry(registry)
        .loginPath("/host/sign-in");
  }

  private String base() {
    return "http://127.0.0.1:" + host.port();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void routesMountedOnACreatedApp_serveTheHostsUser_andLeaveTheHostsRoutesAlone() throws Exception {
    host = Javalin.create(config -> config.showJavalinBanner = false);
    host.get("/host/hello", ctx -> ctx.result("hello from the host"));
    routes().build().mount(host);
    host.start("127.0.0.1", 0);
    ApiKey key = ApiKey.of("sk-embedded-key-abcd");
    vapi.accept(key);

    HttpResponse<String> connected =
        send(
            "POST",
            "/api/vapi/connect",
            "{\"apiKey\":\"" + key.reveal() + "\"}",
            HOST_USER_HEADER,
            "alice",
            "Origin",
            base());
    HttpResponse<String> statusOfBob =
        send("GET", "/api/vapi/connect", null, HOST_USER_HEADER, "bob");
    HttpResponse<String> anonymous = send("GET", "/api/vapi/connect", null);
    HttpResponse<String> hostRoute = send("GET", "/host/hello", null);

    assertThat(connected.statusCode()).isEqualTo(200);
    assertThat(json(connected).get("keyHint").textValue()).isEqualTo("…abcd");
    assertThat(json(statusOfBob).get("connected").booleanValue()).isFalse();
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(json(anonymous).get("code").textValue()).isEqualTo("unauthorized");
    assertThat(hostRoute.body()).isEqualTo("hello from the host");
    assertThat(hostRoute.headers().firstValue("Content-Security-Policy")).isEmpty();
    assertThat(registry.find(HttpMetrics.TIMER).tag("route", "/api/vapi/connect").timers())
        .isNotEmpty();
  }

  @Test
  void underAPrefix_theApiThePagesAndEveryLinkFormAndAssetFollowIt() throws Exception {
    host = Javalin.create(config -> config.showJavalinBanner = false);
    host.get("/api/vapi/connect", ctx -> ctx.result("the host's own route"));
    routes().prefix("/admin/vapi").build().mount(host);
    host.start("127.0.0.1", 0);

    HttpResponse<String> status =
        send("GET", "/admin/vapi/api/vapi/connect", null, HOST_USER_HEADER, "alice");
    HttpResponse<String> page =
        send("GET", "/admin/vapi/dashboard/usage", null, HOST_USER_HEADER, "alice");
    HttpResponse<String> asset = send("GET", "/admin/vapi/assets/app.js", null);
    HttpResponse<String> hostRoute = send("GET", "/api/vapi/connect", null);

    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(json(status).has("connected")).isTrue();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(asset.statusCode()).isEqualTo(200);
    assertThat(hostRoute.body()).isEqualTo("the host's own route");
    assertThat(page.body()).contains("<meta name=\"vapi-usage-base\" content=\"/admin/vapi\">");
    java.util.regex.Matcher links =
        java.util.regex.Pattern.compile("(?:href|src|action)=\"(/[^\"]*)\"").matcher(page.body());
    int found = 0;
    while (links.find()) {
      found++;
      assertThat(links.group(1)).as("a link of the page").startsWith("/admin/vapi/");
      assertThat(send("GET", links.group(1), null, HOST_USER_HEADER, "alice").statusCode())
          .as(links.group(1))
          .isEqualTo(200);
    }
    assertThat(found).isGreaterThan(5);
    assertThat(
            registry.find(HttpMetrics.TIMER).tag("route", "/admin/vapi/api/vapi/connect").timers())
        .isNotEmpty();
    assertThatThrownBy(() -> VapiUsageRoutes.builder().prefix("admin/"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void routesRegisteredWhileTheHostConfiguresItsApp_workTheSame() throws Exception {
    VapiUsageRoutes routes = routes().build();
    host =
        Javalin.create(
                config -> {
                  config.showJavalinBanner = false;
                  routes.registerOn(config);
                })
            .start("127.0.0.1", 0);

    HttpResponse<String> usageOfAlice =
        send(
            "GET",
            "/api/vapi/usage?startDate=2024-02-01&endDate=2024-02-03",
            null,
            HOST_USER_HEADER,
            "alice");

    assertThat(usageOfAlice.statusCode()).isEqualTo(200);
    assertThat(json(usageOfAlice).get("daily")).hasSize(3);
    assertThat(
            json(send("GET", "/api/vapi/metrics?startDate=bad", null, HOST_USER_HEADER, "alice"))
                .get("code")
                .textValue())
        .isEqualTo("invalid_date");
  }

  @Test
  void aHostUsersWriteWithoutItsOwnOrigin_isRefused_unlessItCarriesABearerHeader()
      throws Exception {
    host = Javalin.create(config -> config.showJavalinBanner = false);
    routes().build().mount(host);
    host.start("127.0.0.1", 0);

    HttpResponse<String> noOrigin =
        send("DELETE", "/api/vapi/connect", null, HOST_USER_HEADER, "alice");
    HttpResponse<String> foreign =
        send(
            "DELETE",
            "/api/vapi/connect",
            null,
            HOST_USER_HEADER,
            "alice",
            "Origin",
            "https://evil.example");
    HttpResponse<String> sameOrigin =
        send("DELETE", "/api/vapi/connect", null, HOST_USER_HEADER, "alice", "Origin", base());
    HttpResponse<String> bearer =
        send(
            "DELETE",
            "/api/vapi/connect",
            null,
            HOST_USER_HEADER,
            "alice",
            "Authorization",
            "Bearer host-issued-token");

    assertThat(noOrigin.statusCode()).isEqualTo(403);
    assertThat(json(noOrigin).get("code").textValue()).isEqualTo("forbidden");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(sameOrigin.statusCode()).isEqualTo(200);
    assertThat(bearer.statusCode()).isEqualTo(200);
  }

  @Test
  void embeddedPages_useTheHostsUser_andSendStrangersToTheHostsLoginPage() throws Exception {
    host = Javalin.create(config -> config.showJavalinBanner = false);
    routes().build().mount(host);
    host.start("127.0.0.1", 0);

    HttpResponse<String> page = send("GET", "/dashboard/settings", null, HOST_USER_HEADER, "alice");
    HttpResponse<String> stranger = send("GET", "/dashboard", null);
    HttpResponse<String> login = send("GET", "/login", null);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<meta name=\"csrf-token\"")
        .contains("alice")
        .doesNotContain("action=\"/logout\"");
    assertThat(stranger.statusCode()).isEqualTo(303);
    assertThat(stranger.headers().firstValue("Location")).contains("/host/sign-in");
    assertThat(login.statusCode()).isEqualTo(404);
  }

  @Test
  void theEmbeddedCsrfTokenOfThePage_isAccepted_andAnotherUsersIsNot() throws Exception {
    host = Javalin.create(config -> config.showJavalinBanner = false);
    routes().build().mount(host);
    host.start("127.0.0.1", 0);
    String page = send("GET", "/dashboard", null, HOST_USER_HEADER, "alice").body();
    String marker = "<meta name=\"csrf-token\" content=\"";
    int start = page.indexOf(marker) + marker.length();
    String token = page.substring(start, page.indexOf('"', start));

    HttpResponse<String> own =
        send(
            "DELETE",
            "/api/vapi/connect",
            null,
            HOST_USER_HEADER,
            "alice",
            "Origin",
            base(),
            "X-CSRF-Token",
            token);
    HttpResponse<String> borrowed =
        send(
            "DELETE",
            "/api/vapi/connect",
            null,
            HOST_USER_HEADER,
            "bob",
            "Origin",
            base(),
            "X-CSRF-Token",
            token);

    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(borrowed.statusCode()).isEqualTo(403);
  }

  @Test
  void pages_canBeLeftOut_andTheBuilderNamesWhatIsMissing() throws Exception {
    host = Javalin.create(config -> config.showJavalinBanner = false);
    routes().pages(false).build().mount(host);
    host.start("127.0.0.1", 0);

    assertThat(send("GET", "/dashboard", null, HOST_USER_HEADER, "alice").statusCode())
        .isEqualTo(404);
    assertThatThrownBy(() -> routes().currentUser(null).build())
        .hasMessageContaining("currentUser");
    assertThatThrownBy(() -> VapiUsageRoutes.builder().build()).hasMessageContaining("connectVapi");
  }

  @Test
  void aHostWhoseCurrentUserFails_getsAnInternalErrorWithoutDetails() throws Exception {
    host = Javalin.create(config -> config.showJavalinBanner = false);
    routes()
        .currentUser(
            ctx -> {
              throw new IllegalStateException("host session store down: redis://10.0.0.1");
            })
        .build()
        .mount(host);
    host.start("127.0.0.1", 0);

    HttpResponse<String> response = send("GET", "/api/vapi/connect", null);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(json(response).get("code").textValue()).isEqualTo("internal_error");
    assertThat(response.body()).doesNotContain("redis");
  }
}
