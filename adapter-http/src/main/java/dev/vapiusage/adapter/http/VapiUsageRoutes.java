package dev.vapiusage.adapter.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The vapi-usage routes for a host application's own Javalin: the JSON API under {@code /api/vapi/}
 * and, unless turned off, the dashboard pages, with the host naming the signed-in user through
 * {@link CurrentUser}. Every route answers its own errors in the contract's JSON and sets its own
 * security headers, so the host's handlers for its other paths are left alone.
 *
 * <pre>{@code
 * VapiUsageRoutes routes = VapiUsageRoutes.builder()
 *     .connectVapi(connect).disconnectVapi(disconnect).integrationStatus(status)
 *     .liveMetrics(live).syncUsage(sync).dashboardUsage(usage)
 *     .listCalls(list).getCall(call).exportCalls(export)
 *     .manageWebhook(webhook).acceptServerMessage(accept)
 *     .watchUsage(watch)                // the live pages' event stream
 *     .currentUser(ctx -> Optional.ofNullable(ctx.sessionAttribute("userId")).map(UserId::of))
 *     .build();
 * Javalin app = Javalin.create(config -> routes.registerOn(config));   // or routes.mount(app)
 * }</pre>
 *
 * Thread-safe once built; one instance may be mounted on one application.
 */
public final class VapiUsageRoutes {
  private final RouteSet routes;
  private final UsageEvents events;

  private VapiUsageRoutes(RouteSet routes, UsageEvents events) {
    this.routes = routes;
    this.events = events;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Adds the routes to a created (started or not) Javalin application. */
  public void mount(Javalin app) {
    routes.mount(Objects.requireNonNull(app, "app"));
    // Open event streams end when the host stops, or its graceful stop would wait for them.
    app.events(events -> events.serverStopping(this.events::close));
  }

  /** Adds the routes while the host configures its application, inside {@code Javalin.create}. */
  public void registerOn(JavalinConfig config) {
    Objects.requireNonNull(config, "config").router.mount(routes::mount);
    config.events.serverStopping(events::close);
  }

  /** Collects the use cases and options; every use case and the current user are required. */
  public static final class Builder extends UseCaseSetters<Builder> {
    private CurrentUser currentUser;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;
    private int connectAttemptsPerMinute = RateLimiter.DEFAULT_PER_MINUTE;
    private boolean pages = true;
    private String loginPath = "/login";
    private String prefix = "";

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Who is signed in, as the host knows it. */
    public Builder currentUser(CurrentUser value) {
      currentUser = value;
      return this;
    }

    /**
     * The clock "today" is read from for default date ranges; the use cases' clock. Default: UTC
     * system clock.
     */
    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Where to record {@code http.server.requests} for these routes and the webhook's messages and
     * refusals; default: not recorded.
     */
    public Builder meterRegistry(MeterRegistry value) {
      meterRegistry = value;
      return this;
    }

    /** How many {@code POST /api/vapi/connect} a user may send per minute; default 10. */
    public Builder connectAttemptsPerMinute(int value) {
      connectAttemptsPerMinute = value;
      return this;
    }

    /** Whether to mount the dashboard pages and {@code /assets/*}; default true. */
    public Builder pages(boolean value) {
      pages = value;
      return this;
    }

    /** Where a page sends a visitor who is not signed in; default {@code /login}. */
    public Builder loginPath(String value) {
      loginPath = Objects.requireNonNull(value, "loginPath");
      return this;
    }

    /**
     * Where the routes live in the host's application, e.g. {@code /admin/vapi}: the API at {@code
     * /admin/vapi/api/vapi/…}, the pages at {@code /admin/vapi/dashboard…}, and every link, form
     * and asset of the pages under it. Default: the root.
     */
    public Builder prefix(String value) {
      prefix = checkPrefix(Objects.requireNonNull(value, "prefix"));
      return this;
    }

    /**
     * The prefix as the routes use it ("" for the root), or an {@link IllegalArgumentException} for
     * one that is not a path of plain segments.
     */
    public static String checkPrefix(String value) {
      if (value.isEmpty() || value.equals("/")) {
        return "";
      }
      if (!value.matches("(/[A-Za-z0-9._~-]+)+")) {
        throw new IllegalArgumentException(
            "A route prefix is empty or like /admin/vapi: segments of letters, digits, '.', '_', '~' or '-', no trailing '/'");
      }
      return value;
    }

    public VapiUsageRoutes build() {
      UseCases useCases = useCases();
      Authenticator authenticator =
          new HostAuthenticator(Objects.requireNonNull(currentUser, "currentUser is required"));
      Guard guard =
          new Guard(
              authenticator,
              meterRegistry == null ? RequestRecorder.NONE : new HttpMetrics(meterRegistry));
      ApiRoutes api =
          new ApiRoutes(
              useCases, clock, new RateLimiter<>(connectAttemptsPerMinute, clock), prefix);
      WebhookRoute webhook =
          new WebhookRoute(
              useCases.acceptServerMessage(),
              meterRegistry == null ? WebhookMeters.NONE : new WebhookMeters(meterRegistry));
      Optional<PageRoutes> pageRoutes =
          pages
              ? Optional.of(new PageRoutes(authenticator, new HostLogin(loginPath), prefix))
              : Optional.empty();
      UsageEvents events =
          new UsageEvents(
                  useCases.watchUsage(),
                  UsageEvents.Timings.DEFAULT,
                  UsageEvents.MAX_STREAMS_PER_USER)
              .countOn(Optional.ofNullable(meterRegistry));
      return new VapiUsageRoutes(
          new RouteSet(guard, api, webhook, pageRoutes, Optional.empty(), events, prefix), events);
    }
  }
}
