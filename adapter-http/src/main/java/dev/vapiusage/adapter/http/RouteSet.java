package dev.vapiusage.adapter.http;

import io.javalin.http.Handler;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Objects;
import java.util.Optional;

/** Registers the adapter's routes, each wrapped by the {@link Guard}, on a Javalin router. */
final class RouteSet {
  private final Guard guard;
  private final ApiRoutes api;
  private final WebhookRoute webhook;
  private final Optional<PageRoutes> pages;
  private final Optional<OperationsRoutes> operations;
  private final UsageEvents events;
  private final String base;

  /**
   * {@code pages} and {@code operations} are empty when they are not to be mounted; every path
   * starts with {@code base} ("" or a prefix such as {@code /admin/vapi}).
   */
  RouteSet(
      Guard guard,
      ApiRoutes api,
      WebhookRoute webhook,
      Optional<PageRoutes> pages,
      Optional<OperationsRoutes> operations,
      UsageEvents events,
      String base) {
    this.base = Objects.requireNonNull(base, "base");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.api = Objects.requireNonNull(api, "api");
    this.webhook = Objects.requireNonNull(webhook, "webhook");
    this.pages = Objects.requireNonNull(pages, "pages");
    this.operations = Objects.requireNonNull(operations, "operations");
    this.events = Objects.requireNonNull(events, "events");
  }

  void mount(JavalinDefaultRoutingApi<?> routing) {
    get(routing, ApiRoutes.CONNECT, api::status);
    post(routing, ApiRoutes.CONNECT, api::connect);
    delete(routing, ApiRoutes.CONNECT, api::disconnect);
    get(routing, ApiRoutes.METRICS, api::liveMetrics);
    post(routing, ApiRoutes.SYNC, api::sync);
    get(routing, ApiRoutes.USAGE, api::usage);
    get(routing, ApiRoutes.USAGE_EXPORT, api::exportUsage);
    get(routing, ApiRoutes.CALLS, api::calls);
    // Before the call by id, so "export" is never taken for an id.
    get(routing, ApiRoutes.CALLS_EXPORT, api::exportCalls);
    get(routing, ApiRoutes.CALL, api::call);
    // Before the webhook by id, so "secret" is never taken for an id.
    post(routing, ApiRoutes.WEBHOOK_SECRET, api::newWebhookSecret);
    // Open: Vapi sends no session, token or CSRF header; the use case checks the webhook secret.
    routing.post(base + WebhookRoute.PATH, open(WebhookRoute.PATH, webhook::receive));
    get(routing, UsageEvents.ROUTE, events::stream);

    pages.ifPresent(pageRoutes -> mountPages(routing, pageRoutes));
    operations.ifPresent(operationsRoutes -> mountOperations(routing, operationsRoutes));
  }

  private void mountPages(JavalinDefaultRoutingApi<?> routing, PageRoutes pages) {
    for (Pages.Dashboard page : Pages.Dashboard.values()) {
      get(routing, page.path, open(page.path, ctx -> pages.dashboard(ctx, page)));
    }
    get(routing, "/assets/{name}", open("/assets/{name}", pages::asset));
    pages.ownLoginPage().ifPresent(own -> mountLogin(routing, pages, own));
  }

  /** Standalone only: an embedding host owns its root and signs its users in and out itself. */
  private void mountLogin(JavalinDefaultRoutingApi<?> routing, PageRoutes pages, OwnLoginPage own) {
    get(routing, "/", open("/", pages::root));
    get(routing, PageRoutes.LOGIN, open(PageRoutes.LOGIN, pages::loginPage));
    routing.post(base + PageRoutes.LOGIN, open(PageRoutes.LOGIN, ctx -> pages.login(ctx, own)));
    routing.post(base + PageRoutes.LOGOUT, open(PageRoutes.LOGOUT, ctx -> pages.logout(ctx, own)));
  }

  private void mountOperations(JavalinDefaultRoutingApi<?> routing, OperationsRoutes operations) {
    get(routing, OperationsRoutes.HEALTH, open(OperationsRoutes.HEALTH, operations::health));
    get(routing, OperationsRoutes.METRICS, open(OperationsRoutes.METRICS, operations::metrics));
    get(routing, OperationsRoutes.OPENAPI, open(OperationsRoutes.OPENAPI, operations::openApi));
  }

  private Handler open(String path, Handler handler) {
    return guard.open(base + path, handler);
  }

  private void get(JavalinDefaultRoutingApi<?> routing, String path, Guard.CallerHandler handler) {
    get(routing, path, guard.api(base + path, handler));
  }

  private void post(JavalinDefaultRoutingApi<?> routing, String path, Guard.CallerHandler handler) {
    routing.post(base + path, guard.api(base + path, handler));
  }

  private void delete(
      JavalinDefaultRoutingApi<?> routing, String path, Guard.CallerHandler handler) {
    routing.delete(base + path, guard.api(base + path, handler));
  }

  /**
   * A GET route and its HEAD twin: Javalin would otherwise answer HEAD with a bare 200 without
   * running the handler, so a HEAD would skip authentication. Jetty drops the body of a HEAD.
   */
  private void get(JavalinDefaultRoutingApi<?> routing, String path, Handler handler) {
    routing.get(base + path, handler);
    routing.head(base + path, handler);
  }
}
