package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.AuthenticateToken;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.CreateUserToken;
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
import dev.vapiusage.domain.testing.InMemorySigningKeys;
import dev.vapiusage.domain.testing.InMemorySyncCursors;
import dev.vapiusage.domain.testing.InMemorySyncLease;
import dev.vapiusage.domain.testing.InMemoryUsageRepository;
import dev.vapiusage.domain.testing.InMemoryUserTokenRepository;
import dev.vapiusage.domain.testing.InMemoryWebhookEndpoints;
import dev.vapiusage.domain.testing.MutableClock;
import dev.vapiusage.domain.testing.TestData;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The standalone server on port 0, wired with the real use cases over the domain's in-memory
 * adapters, a fake Vapi and a hand-moved clock, plus an HTTP client that follows no redirects and
 * keeps no cookies (tests send exactly the headers they mean).
 */
final class TestServer implements AutoCloseable {
  static final Instant NOW = Instant.parse("2024-02-15T10:00:00Z");

  final MutableClock clock = new MutableClock(NOW);
  final InMemoryDataVersions versions = new InMemoryDataVersions();
  final InMemoryIntegrationRepository integrations = new InMemoryIntegrationRepository(versions);
  final InMemoryUsageRepository usage = new InMemoryUsageRepository(versions);
  final InMemoryAssistantNames names = new InMemoryAssistantNames(versions);
  final InMemorySigningKeys signingKeys = new InMemorySigningKeys();
  final InMemorySyncLease lease = new InMemorySyncLease();
  final InMemorySyncCursors cursors = new InMemorySyncCursors();
  final InMemoryUserTokenRepository tokens = new InMemoryUserTokenRepository();
  final InMemoryKeyVault vault = new InMemoryKeyVault();
  final FakeVapi vapi = new FakeVapi();
  final InMemoryWebhookEndpoints webhooks = new InMemoryWebhookEndpoints();
  final ManageWebhook manageWebhook = new ManageWebhook(webhooks, vault);
  final AtomicBoolean healthy = new AtomicBoolean(true);

  /** The standalone server's setting: /metrics shows this registry's Prometheus text. */
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  final VapiUsageHttp server;
  final String base;
  final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final CreateUserToken createToken = new CreateUserToken(tokens, clock);

  TestServer() {
    this(RateLimiter.DEFAULT_PER_MINUTE);
  }

  TestServer(int connectAttemptsPerMinute) {
    this(connectAttemptsPerMinute, builder -> {});
  }

  /** A server with extra settings, e.g. the host names it answers to. */
  TestServer(Consumer<VapiUsageHttp.Builder> settings) {
    this(RateLimiter.DEFAULT_PER_MINUTE, settings);
  }

  private TestServer(int connectAttemptsPerMinute, Consumer<VapiUsageHttp.Builder> settings) {
    SyncUsage sync =
        new SyncUsage(
            integrations,
            vault,
            vapi,
            usage,
            lease,
            cursors,
            clock,
            SyncSettings.DEFAULTS,
            SyncListener.NONE);
    VapiUsageHttp.Builder builder =
        VapiUsageHttp.builder()
            .connectVapi(new ConnectVapi(integrations, vault, vapi, clock))
            .disconnectVapi(new DisconnectVapi(integrations, clock))
            .integrationStatus(new GetIntegrationStatus(integrations))
            .liveMetrics(new FetchLiveMetrics(integrations, vault, vapi))
            .syncUsage(sync)
            .dashboardUsage(
                new GetDashboardUsage(
                    integrations, usage, sync, clock, Duration.ofMinutes(5), null, names, usage))
            .listCalls(new ListCalls(usage, names, signingKeys, clock))
            .getCall(new GetCall(usage, names, clock))
            .exportCalls(new ExportCalls(usage, names, clock))
            .manageWebhook(manageWebhook)
            .acceptServerMessage(
                new AcceptServerMessage(
                    webhooks, integrations, vault, new SimpleServerMessages(), usage, clock))
            .watchUsage(new WatchUsage(versions))
            .authenticateToken(new AuthenticateToken(tokens))
            .health(healthy::get)
            .meterRegistry(registry)
            .prometheusText(registry::scrape)
            .clock(clock)
            .connectAttemptsPerMinute(connectAttemptsPerMinute);
    settings.accept(builder);
    server = builder.build().start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + server.port();
  }

  /** A user of the standalone server and its API token. */
  record User(UserId id, String token) {}

  User newUser() {
    UserId id = TestData.anyUserId();
    return new User(id, createToken.create(id));
  }

  /** A new user whose account is connected with a key the fake Vapi accepts. */
  User connectedUser(ApiKey key) {
    User user = newUser();
    vapi.calls.accept(key);
    Response response =
        send("POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"" + key.reveal() + "\"}");
    if (response.status() != 200) {
      throw new IllegalStateException("Connecting failed: " + response);
    }
    return user;
  }

  String origin() {
    return base;
  }

  Response get(String path, String token) {
    return send("GET", path, token, null);
  }

  /** Sends a request; {@code headers} are name/value pairs. */
  Response send(String method, String path, String token, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Signs in through the login form and answers the session cookie's value. */
  String login(User user) {
    Response response =
        send(
            "POST",
            "/login",
            null,
            "token=" + user.token(),
            "Content-Type",
            "application/x-www-form-urlencoded");
    if (response.status() != 303) {
      throw new IllegalStateException("Login failed: " + response);
    }
    String cookie = response.header("Set-Cookie");
    return cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
  }

  /** The page's CSRF token, read from its meta tag. */
  String csrfToken(String sessionId) {
    Response page =
        send("GET", "/dashboard", null, null, "Cookie", SessionCookie.NAME + "=" + sessionId);
    String marker = "<meta name=\"csrf-token\" content=\"";
    int start = page.body().indexOf(marker) + marker.length();
    return page.body().substring(start, page.body().indexOf('"', start));
  }

  @Override
  public void close() {
    server.stop();
  }

  /** Sends a GET and hands the body over as it arrives, for tests of streamed responses. */
  HttpResponse<java.io.InputStream> stream(String path, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response as the tests look at it. */
  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    JsonNode json() {
      try {
        return Json.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new AssertionError("Not JSON: " + body, e);
      }
    }

    boolean isContractError(String code) {
      JsonNode json = json();
      return json.isObject()
          && json.size() == 2
          && json.path("error").isTextual()
          && !json.path("error").textValue().isBlank()
          && code.equals(json.path("code").textValue())
          && header("Content-Type") != null
          && header("Content-Type").startsWith("application/json");
    }
  }
}
