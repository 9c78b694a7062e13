package dev.vapiusage.adapter.http;

import dev.vapiusage.application.AuthenticateToken;
import dev.vapiusage.domain.UsageException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone HTTP server: the JSON API, the login page and dashboard, {@code /health},
 * {@code /metrics} and {@code /openapi.json} on an embedded Jetty, authenticating with the API
 * tokens of {@code users create} and the login page's session cookie. Every error, Jetty's own
 * included, answers with the contract's JSON.
 *
 * <pre>{@code
 * VapiUsageHttp server = VapiUsageHttp.builder()
 *     .connectVapi(connect).disconnectVapi(disconnect).integrationStatus(status)
 *     .liveMetrics(live).syncUsage(sync).dashboardUsage(usage)
 *     .authenticateToken(authenticate)
 *     .health(database::isReachable)
 *     .meterRegistry(registry)          // optional: created when absent
 *     .clock(clock)                     // optional: UTC system clock
 *     .build()
 *     .start("127.0.0.1", 7070);
 * }</pre>
 *
 * Started at most once (Jetty servers are not restartable); thread-safe.
 */
public final class VapiUsageHttp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VapiUsageHttp.class);

  private final Javalin app;
  private final PrometheusMeterRegistry registry;

  private VapiUsageHttp(Builder builder) {
    UseCases useCases = builder.useCases();
    AuthenticateToken tokens = Objects.requireNonNull(builder.tokens, "authenticateToken is required");
    BooleanSupplier health = Objects.requireNonNull(builder.health, "health is required");
    this.registry =
        builder.registry != null ? builder.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SessionStore sessions = new SessionStore(builder.clock, builder.sessionTtl);
    Authenticator authenticator = new TokenAuthenticator(tokens, sessions);
    // The server records every request (404s included) itself, so the guard records none.
    Guard guard = new Guard(authenticator, null);
    HttpMetrics metrics = new HttpMetrics(registry);
    RouteSet routes =
        new RouteSet(
            guard,
            new ApiRoutes(useCases, builder.clock, new RateLimiter(builder.connectAttemptsPerMinute, builder.clock)),
            new PageRoutes(authenticator, tokens, sessions, PageRoutes.LOGIN),
            new OperationsRoutes(health, registry));

    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = RequestBody.MAX_BYTES;
              config.http.defaultContentType = Json.CONTENT_TYPE;
              config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
              config.requestLogger.http(
                  (ctx, millis) ->
                      metrics.record(ctx.method().name(), route(ctx), ctx.statusCode(), (long) (millis * 1_000_000L)));
              config.router.mount(
                  routing -> {
                    routing.before(
                        ctx -> {
                          SecurityHeaders.apply(ctx);
                          RequestBody.rejectDeclaredOversize(ctx);
                        });
                    routes.mount(routing);
                    routing.exception(
                        UsageException.class, (e, ctx) -> Guard.handleUsageException(ctx, HttpMetrics.UNMATCHED, e));
                    routing.exception(HttpResponseException.class, VapiUsageHttp::answerJavalinStatus);
                    routing.exception(
                        Exception.class,
                        (e, ctx) -> {
                          LOG.error("{} request failed unexpectedly", ctx.method().name(), e);
                          HttpErrors.writeInternal(ctx);
                        });
                  });
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Listens on {@code host:port}; port 0 picks a free port, see {@link #port()}. */
  public VapiUsageHttp start(String host, int port) {
    app.start(Objects.requireNonNull(host, "host"), port);
    return this;
  }

  /** The port the server listens on, once started. */
  public int port() {
    return app.port();
  }

  /** The registry behind {@code /metrics}; sync and Vapi-client meters belong on it too. */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  public void stop() {
    app.stop();
  }

  @Override
  public void close() {
    stop();
  }

  /** For tests: the Javalin behind the server, e.g. to list its routes. */
  Javalin javalin() {
    return app;
  }

  /** The matched route template, or {@link HttpMetrics#UNMATCHED} when no route ran. */
  private static String route(Context ctx) {
    if (ctx.handlerType() == HandlerType.BEFORE) {
      // The request ended before any route: no match, or refused by the before handler.
      return HttpMetrics.UNMATCHED;
    }
    return ctx.endpointHandlerPath();
  }

  /** Javalin's own answers (no route, wrong method) in the contract's JSON. */
  private static void answerJavalinStatus(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    if (status == 405) {
      Map<String, String> details = e.getDetails();
      String allowed = details.getOrDefault("availableMethods", details.get("Available methods"));
      if (allowed != null) {
        ctx.header("Allow", allowed);
      }
    }
    HttpErrors.write(ctx, status, HttpErrors.codeForStatus(status), HttpErrors.messageForStatus(status));
  }

  /** Collects the use cases, the token check, the health check and options. */
  public static final class Builder extends UseCaseSetters<Builder> {
    private AuthenticateToken tokens;
    private BooleanSupplier health;
    private PrometheusMeterRegistry registry;
    private Clock clock = Clock.systemUTC();
    private Duration sessionTtl = SessionStore.DEFAULT_TTL;
    private int connectAttemptsPerMinute = RateLimiter.DEFAULT_PER_MINUTE;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Checks bearer tokens and the login form's token. */
    public Builder authenticateToken(AuthenticateToken value) {
      tokens = value;
      return this;
    }

    /**
     * Answers whether the database responds, for {@code GET /health}; it should return within a
     * second or two (e.g. {@code Connection.isValid(1)}). An exception counts as unavailable.
     */
    public Builder health(BooleanSupplier value) {
      health = value;
      return this;
    }

    /** The registry {@code /metrics} shows; default: a new one, see {@link VapiUsageHttp#meterRegistry()}. */
    public Builder meterRegistry(PrometheusMeterRegistry value) {
      registry = value;
      return this;
    }

    /** The clock for default date ranges, session expiry and rate limits; the use cases' clock. */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** How long a dashboard login lasts; default 12 hours. */
    public Builder sessionTtl(Duration value) {
      sessionTtl = Objects.requireNonNull(value, "sessionTtl");
      return this;
    }

    /** How many {@code POST /api/vapi/connect} a user may send per minute; default 10. */
    public Builder connectAttemptsPerMinute(int value) {
      connectAttemptsPerMinute = value;
      return this;
    }

    public VapiUsageHttp build() {
      return new VapiUsageHttp(this);
    }
  }
}
