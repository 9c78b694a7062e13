package dev.vapiusage.adapter.http;

import io.javalin.http.Handler;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.Objects;

/** Registers the adapter's routes, each wrapped by the {@link Guard}, on a Javalin router. */
final class RouteSet {
  private final Guard guard;
  private final ApiRoutes api;
  private final PageRoutes pages;
  private final OperationsRoutes operations;

  /** {@code pages} and {@code operations} are null when they are not to be mounted. */
  RouteSet(Guard guard, ApiRoutes api, PageRoutes pages, OperationsRoutes operations) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.api = Objects.requireNonNull(api, "api");
    this.pages = pages;
    this.operations = operations;
  }

  void mount(JavalinDefaultRoutingApi<?> routing) {
    get(routing, ApiRoutes.CONNECT, guard.api(ApiRoutes.CONNECT, api::status));
    routing.post(ApiRoutes.CONNECT, guard.api(ApiRoutes.CONNECT, api::connect));
    routing.delete(ApiRoutes.CONNECT, guard.api(ApiRoutes.CONNECT, api::disconnect));
    get(routing, ApiRoutes.METRICS, guard.api(ApiRoutes.METRICS, api::liveMetrics));
    routing.post(ApiRoutes.SYNC, guard.api(ApiRoutes.SYNC, api::sync));
    get(routing, ApiRoutes.USAGE, guard.api(ApiRoutes.USAGE, api::usage));

    if (pages != null) {
      for (Pages.Dashboard page : Pages.Dashboard.values()) {
        get(routing, page.path, guard.open(page.path, ctx -> pages.dashboard(ctx, page)));
      }
      get(routing, "/assets/{name}", guard.open("/assets/{name}", pages::asset));
      if (pages.hasLogin()) {
        get(routing, "/", guard.open("/", pages::root));
        get(routing, PageRoutes.LOGIN, guard.open(PageRoutes.LOGIN, pages::loginPage));
        routing.post(PageRoutes.LOGIN, guard.open(PageRoutes.LOGIN, pages::login));
        routing.post(PageRoutes.LOGOUT, guard.open(PageRoutes.LOGOUT, pages::logout));
      }
    }

    if (operations != null) {
      get(routing, OperationsRoutes.HEALTH, guard.open(OperationsRoutes.HEALTH, operations::health));
      get(routing, OperationsRoutes.METRICS, guard.open(OperationsRoutes.METRICS, operations::metrics));
      get(routing, OperationsRoutes.OPENAPI, guard.open(OperationsRoutes.OPENAPI, operations::openApi));
    }
  }

  /**
   * A GET route and its HEAD twin: Javalin would otherwise answer HEAD with a bare 200 without
   * running the handler, so a HEAD would skip authentication. Jetty drops the body of a HEAD.
   */
  private static void get(JavalinDefaultRoutingApi<?> routing, String path, Handler handler) {
    routing.get(path, handler);
    routing.head(path, handler);
  }
}
