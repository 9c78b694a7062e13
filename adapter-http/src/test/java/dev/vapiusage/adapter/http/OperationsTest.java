package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.AuthenticateToken;
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
import dev.vapiusage.domain.testing.InMemoryAssistantNames;
import dev.vapiusage.domain.testing.InMemoryDataVersions;
import dev.vapiusage.domain.testing.InMemoryIntegrationRepository;
import dev.vapiusage.domain.testing.InMemoryKeyVault;
import dev.vapiusage.domain.testing.InMemoryMetricsSource;
import dev.vapiusage.domain.testing.InMemorySigningKeys;
import dev.vapiusage.domain.testing.InMemorySyncCursors;
import dev.vapiusage.domain.testing.InMemorySyncLease;
import dev.vapiusage.domain.testing.InMemoryUsageRepository;
import dev.vapiusage.domain.testing.InMemoryUserTokenRepository;
import dev.vapiusage.domain.testing.InMemoryWebhookEndpoints;
import dev.vapiusage.domain.testing.TestData;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class OperationsTest {

  @Test
  void health_answersOkWhileTheDatabaseAnswers_andUnavailableOtherwise() {
    try (TestServer server = new TestServer()) {
      TestServer.Response up = server.get("/health", null);
      server.healthy.set(false);
      TestServer.Response down = server.get("/health", null);

      assertThat(up.status()).isEqualTo(200);
      assertThat(up.json().toString()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(up.header("Content-Type")).startsWith("application/json");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.json().get("status").textValue()).isEqualTo("unavailable");
    }
  }

  @Test
  void aHealthCheckThatThrows_countsAsUnavailable() throws Exception {
    try (VapiUsageHttp server =
        standalone(
            () -> {
              throw new IllegalStateException("connection refused to db:5432");
            },
            null)) {
      HttpResponse<String> response = get(server, "/health");

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).doesNotContain("5432");
    }
  }

  @Test
  void metrics_showRequestCountsAndLatenciesByRouteAndStatusInPrometheusText() {
    try (TestServer server = new TestServer()) {
      TestServer.User user = server.newUser();
      server.get("/api/vapi/connect", user.token());
      server.get("/api/vapi/connect", null);
      server.get("/no/such/path", null);

      TestServer.Response metrics = server.get("/metrics", null);

      assertThat(metrics.status()).isEqualTo(200);
      assertThat(metrics.header("Content-Type")).startsWith("text/plain");
      assertThat(metrics.body())
          .contains(
              "http_server_requests_seconds_count{method=\"GET\",route=\"/api/vapi/connect\",status=\"200\"} 1")
          .contains(
              "http_server_requests_seconds_count{method=\"GET\",route=\"/api/vapi/connect\",status=\"401\"} 1")
          .contains(
              "http_server_requests_seconds_sum{method=\"GET\",route=\"/api/vapi/connect\",status=\"200\"}")
          .contains("route=\"unmatched\",status=\"404\"")
          .doesNotContain("/no/such/path")
          .doesNotContain(user.token());
    }
  }

  @Test
  void metersTheHostRegistersOnTheSameRegistry_appearOnMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("vapi.sync.runs", "outcome", "completed").increment(3);
    try (VapiUsageHttp server = standalone(() -> true, registry)) {
      server.meterRegistry().counter("vapi.client.requests", "status", "200").increment();

      String body = get(server, "/metrics").body();

      assertThat(server.meterRegistry()).isSameAs(registry);
      assertThat(body)
          .contains("vapi_sync_runs_total{outcome=\"completed\"} 3.0")
          .contains("vapi_client_requests_total{status=\"200\"} 1.0");
    }
  }

  @Test
  void givenNoRegistry_theServer_createsOneAndExposesIt() throws Exception {
    try (VapiUsageHttp server = standalone(() -> true, null)) {
      get(server, "/health");

      assertThat(
              server.meterRegistry().find("http.server.requests").tag("route", "/health").timer())
          .isNotNull()
          .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
    }
  }

  @Test
  void givenNoPrometheusText_metrics_isNotServed() throws Exception {
    try (VapiUsageHttp server = standalone(() -> true, null)) {
      HttpResponse<String> response = get(server, "/metrics");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("\"code\":\"not_found\"");
    }
  }

  @Test
  void metrics_areServedAsPrometheusTextVersion004() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (VapiUsageHttp server = standalone(() -> true, registry)) {
      HttpResponse<String> response = get(server, "/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
    }
  }

  private static HttpResponse<String> get(VapiUsageHttp server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A server wired from scratch, the way bootstrap wires it. */
  private static VapiUsageHttp standalone(
      BooleanSupplier health, PrometheusMeterRegistry registry) {
    Clock clock = Clock.systemUTC();
    InMemoryIntegrationRepository integrations = new InMemoryIntegrationRepository();
    InMemoryKeyVault vault = new InMemoryKeyVault();
    InMemoryWebhookEndpoints webhooks = new InMemoryWebhookEndpoints();
    InMemoryMetricsSource vapi = new InMemoryMetricsSource().accept(TestData.anyApiKey());
    InMemoryDataVersions versions = new InMemoryDataVersions();
    InMemoryUsageRepository usage = new InMemoryUsageRepository(versions);
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
    return VapiUsageHttp.builder()
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
        .authenticateToken(new AuthenticateToken(new InMemoryUserTokenRepository()))
        .health(health)
        .meterRegistry(registry)
        .prometheusText(registry == null ? null : registry::scrape)
        .build()
        .start("127.0.0.1", 0);
  }
}
