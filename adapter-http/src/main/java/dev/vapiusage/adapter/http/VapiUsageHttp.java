package dev.vapiusage.adapter.http;

import dev.vapiusage.application.AuthenticateToken;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone HTTP server: the JSON API, the login page and dashboard, {@code /health}, {@code
 * /metrics} and {@code /openapi.json} on an embedded Jetty, authenticating with the API tokens of
 * {@code users create} and the login page's session cookie. Every error, Jetty's own included,
 * answers with the contract's JSON.
 *
 * <pre>{@code
 * VapiUsageHttp server = VapiUsageHttp.builder()
 *     .connectVapi(connect).disconnectVapi(disconnect).integrationStatus(status)
 *     .liveMetrics(live).syncUsage(sync).dashboardUsage(usage)
 *     .listCalls(list).getCall(call).exportCalls(export)
 *     .manageWebhook(webhook).acceptServerMessage(accept)
 *     .watchUsage(watch)                // the live pages' event stream
 *     .authenticateToken(authenticate)
 *     .health(database::isReachable)
 *     .meterRegistry(registry)          // optional: a SimpleMeterRegistry when absent
 *     .prometheusText(registry::scrape) // optional: GET /metrics answers 404 without it
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
  private final MeterRegistry registry;
  private final HeaderDeadline headerDeadline;
  private final UsageEvents events;

  private VapiUsageHttp(Builder builder) {
    UseCases useCases = builder.useCases();
    AuthenticateToken tokens =
        Objects.requireNonNull(builder.tokens, "authenticateToken is required");
    BooleanSupplier health = Objects.requireNonNull(builder.health, "health is required");
    this.registry = builder.registry != null ? builder.registry : new SimpleMeterRegistry();
    SessionStore sessions = new SessionStore(builder.clock, builder.sessionTtl);
    Authenticator authenticator = new TokenAuthenticator(tokens, sessions);
    // The server records every request (404s included) itself, so the guard records none.
    Guard guard = new Guard(authenticator, RequestRecorder.NONE);
    HttpMetrics metrics = new HttpMetrics(registry);
    this.events =
        new UsageEvents(
                useCases.watchUsage(), builder.eventTimings, UsageEvents.MAX_STREAMS_PER_USER)
            .countOn(Optional.of(registry));
    RouteSet routes =
        new RouteSet(
            guard,
            new ApiRoutes(
                useCases,
                builder.clock,
                new RateLimiter<>(builder.connectAttemptsPerMinute, builder.clock),
                ""),
            new WebhookRoute(useCases.acceptServerMessage(), new WebhookMeters(registry)),
            Optional.of(
                new PageRoutes(
                    authenticator,
                    new OwnLoginPage(tokens, sessions, new LoginThrottle(builder.clock)),
                    "")),
            Optional.of(new OperationsRoutes(health, builder.prometheusText)),
            events,
            "");

    AllowedHosts allowedHosts = builder.allowedHosts;
    this.headerDeadline = new HeaderDeadline(builder.headerReadTimeout);
    this.app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.startupWatcherEnabled = false;
              config.http.prefer405over404 = true;
              config.http.maxRequestSize = RequestBody.MAX_BYTES;
              config.http.defaultContentType = Json.CONTENT_TYPE;
              config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              // Jetty keeps the header fields a connection has sent and, by default, matches a new
              // one against them ignoring case, values included: on a reused connection
              // "Bearer VU_ABC" came back as the "Bearer vu_AbC" sent before, and signed the
              // request in with that token. Tokens are case-sensitive, so the cache must be too.
              config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
              config.jetty.modifyServletContextHandler(
                  handler -> {
                    handler.setErrorHandler(new JsonErrorHandler());
                    handler.addFilter(
                        new FilterHolder(new MethodOverrideFilter()),
                        "/*",
                        EnumSet.of(DispatcherType.REQUEST));
                  });
              config.requestLogger.http(
                  (ctx, millis) ->
                      metrics.record(
                          ctx.method().name(),
                          route(ctx),
                          ctx.statusCode(),
                          (long) (millis * 1_000_000L)));
              config.router.mount(
                  routing -> {
                    routing.before(
                        ctx -> {
                          SecurityHeaders.apply(ctx);
                          if (!allowedHosts.allows(ctx.header("Host"))) {
                            HttpErrors.write(
                                ctx,
                                421,
                                ErrorCode.INVALID_REQUEST,
                                "This server does not answer to that host name (see ALLOWED_HOSTS)");
                            ctx.skipRemainingHandlers();
                            return;
                          }
                          // The webhook takes larger bodies and enforces its own cap.
                          if (!isWebhookPush(ctx)) {
                            RequestBody.rejectDeclaredOversize(ctx);
                          }
                        });
                    routes.mount(routing);
                    routing.exception(
                        UsageException.class,
                        (e, ctx) -> Guard.handleUsageException(ctx, HttpMetrics.UNMATCHED, e));
                    routing.exception(
                        HttpResponseException.class, VapiUsageHttp::answerJavalinStatus);
                    routing.exception(
                        Exception.class,
                        (e, ctx) -> {
                          LOG.error(
                              "{} request failed unexpectedly",
                              ctx.method().name(),
                              Redacted.copyOf(e));
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
    headerDeadline.watch(app.jettyServer().server());
    return this;
  }

  /** The port the server listens on, once started. */
  public int port() {
    return app.port();
  }

  /**
   * The registry the server records its requests on; sync and Vapi-client meters belong on it too.
   */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  public void stop() {
    // First, or Jetty's graceful stop would wait for the open event streams to end by themselves.
    events.close();
    app.stop();
    headerDeadline.close();
  }

  @Override
  public void close() {
    stop();
  }

  /** For tests: the Javalin behind the server, e.g. to list its routes. */
  Javalin javalin() {
    return app;
  }

  private static boolean isWebhookPush(Context ctx) {
    return ctx.method() == HandlerType.POST && ctx.path().startsWith(WebhookRoute.PATH_PREFIX);
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
    HttpErrors.write(
        ctx, status, HttpErrors.codeForStatus(status), HttpErrors.messageForStatus(status));
  }

  /** Collects the use cases, the token check, the health check and options. */
  public static final class Builder extends UseCaseSetters<Builder> {
    private AuthenticateToken tokens;
    private BooleanSupplier health;
    private MeterRegistry registry;
    private Supplier<String> prometheusText;
    private Clock clock = Clock.systemUTC();
    private Duration sessionTtl = SessionStore.DEFAULT_TTL;
    private int connectAttemptsPerMinute = RateLimiter.DEFAULT_PER_MINUTE;
    private AllowedHosts allowedHosts = AllowedHosts.any();
    private Duration headerReadTimeout = HeaderDeadline.DEFAULT;
    private UsageEvents.Timings eventTimings = UsageEvents.Timings.DEFAULT;

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

    /**
     * The registry the server records every request on ({@code http.server.requests} by method,
     * route and status); default: a new {@link SimpleMeterRegistry}, see {@link
     * VapiUsageHttp#meterRegistry()}.
     */
    public Builder meterRegistry(MeterRegistry value) {
      registry = value;
      return this;
    }

    /**
     * What {@code GET /metrics} answers, in the Prometheus text format 0.0.4 (served as {@code
     * text/plain; version=0.0.4; charset=utf-8}), e.g. {@code prometheusRegistry::scrape} of the
     * registry given to {@link #meterRegistry}; called once per request. Without it {@code
     * /metrics} answers 404: this module needs no Prometheus library of its own.
     */
    public Builder prometheusText(Supplier<String> value) {
      prometheusText = value;
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

    /**
     * The names the server answers to in a request's {@code Host} header (any port); others get
     * {@code 421}. Default: any name. A server bound to loopback should allow only its loopback
     * names, so that a page on another site cannot reach it through DNS rebinding.
     */
    public Builder allowedHosts(Set<String> names) {
      allowedHosts = AllowedHosts.of(Set.copyOf(Objects.requireNonNull(names, "names")));
      return this;
    }

    /** How long a client may take to send a request's line and headers; default 10 seconds. */
    public Builder headerReadTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("headerReadTimeout must be positive");
      }
      headerReadTimeout = value;
      return this;
    }

    /** How many {@code POST /api/vapi/connect} a user may send per minute; default 10. */
    public Builder connectAttemptsPerMinute(int value) {
      connectAttemptsPerMinute = value;
      return this;
    }

    /** For tests: how often the event streams read the versions and send a heartbeat. */
    Builder eventTimings(UsageEvents.Timings value) {
      eventTimings = Objects.requireNonNull(value, "eventTimings");
      return this;
    }

    public VapiUsageHttp build() {
      return new VapiUsageHttp(this);
    }
  }
}
