package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The browser side: the dashboard pages, their assets, and (standalone only) the login form that
 * exchanges an API token for a session cookie, and logout.
 */
final class PageRoutes {
  static final String LOGIN = "/login";
  static final String LOGOUT = "/logout";

  private final Authenticator authenticator;
  private final LoginMode loginMode;
  private final String base;

  PageRoutes(Authenticator authenticator, LoginMode loginMode, String base) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.loginMode = Objects.requireNonNull(loginMode, "loginMode");
    this.base = Objects.requireNonNull(base, "base");
  }

  /** This server's own login page, when standalone: then its routes and the root are mounted. */
  Optional<OwnLoginPage> ownLoginPage() {
    return loginMode.ownLoginPage();
  }

  void loginPage(Context ctx) {
    html(ctx, 200, Pages.login(base, null));
  }

  void login(Context ctx, OwnLoginPage own) {
    // Login CSRF (signing a victim into the attacker's account) comes from a foreign page, whose
    // browser always names its origin; a request naming none is a script, not a victim.
    if (SameOrigin.isExplicitlyForeign(ctx)) {
      throw HttpErrors.forbidden("This request does not come from this site's own pages");
    }
    String token = formField(RequestBody.read(ctx), "token");
    // The peer address, not X-Forwarded-For, which any client can write.
    String address = ctx.req().getRemoteAddr();
    try {
      own.throttle().check(address, token);
    } catch (RateLimitedException e) {
      if (acceptsHtml(ctx)) {
        ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        html(
            ctx,
            429,
            Pages.login(
                base,
                "Too many failed sign-ins. Try again in " + e.retryAfterSeconds() + " seconds."));
        return;
      }
      throw e;
    }
    Optional<UserId> user = token == null ? Optional.empty() : own.tokens().authenticate(token);
    if (user.isEmpty()) {
      own.throttle().failed(address, token);
      html(ctx, 401, Pages.login(base, "That token is not valid. Check it and try again."));
      return;
    }
    SessionStore sessions = own.sessions();
    // A fresh id on every login, so an id planted before login is worth nothing after it.
    sessions.end(SessionCookie.read(ctx));
    SessionStore.Session session = sessions.create(user.get());
    SessionCookie.set(ctx, session.id(), sessions.ttl().toSeconds());
    redirect(ctx, base + Pages.Dashboard.OVERVIEW.path);
  }

  void logout(Context ctx, OwnLoginPage own) {
    Optional<Caller> caller = authenticator.browserCaller(ctx);
    if (caller.isPresent()) {
      String csrf = formField(RequestBody.read(ctx), CsrfGuard.FORM_FIELD);
      CsrfGuard.check(ctx, caller.get(), csrf);
      own.sessions().end(caller.get().sessionId());
    }
    SessionCookie.clear(ctx);
    redirect(ctx, own.loginPath(base));
  }

  void dashboard(Context ctx, Pages.Dashboard page) {
    Optional<Caller> caller = authenticator.browserCaller(ctx);
    if (caller.isEmpty()) {
      redirect(ctx, loginMode.loginPath(base));
      return;
    }
    html(ctx, 200, Pages.dashboard(base, page, caller.get(), ownLoginPage().isPresent()));
  }

  void root(Context ctx) {
    redirect(ctx, base + Pages.Dashboard.OVERVIEW.path);
  }

  void asset(Context ctx) {
    Assets.Asset asset =
        Assets.find(ctx.pathParam("name"))
            .orElseThrow(() -> new UsageException(ErrorCode.NOT_FOUND, "Not found"));
    // Assets hold nothing private. Asked for by their current version (as the pages do), they
    // never change: a new content is a new version. Else they change only with a new release.
    String version = ctx.queryParam("v");
    ctx.header(
        "Cache-Control",
        asset.version().equals(version)
            ? "public, max-age=31536000, immutable"
            : "public, max-age=3600");
    ctx.status(200).contentType(asset.contentType()).result(asset.bytes());
  }

  /** A browser's form post asks for a page; scripts get the contract's JSON error. */
  private static boolean acceptsHtml(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/html");
  }

  /** A field of a form-encoded body, or null; a malformed body has no fields. */
  private static String formField(byte[] body, String name) {
    try {
      return QueryParams.parse(new String(body, StandardCharsets.UTF_8)).get(name);
    } catch (UsageException e) {
      return null;
    }
  }

  private static void html(Context ctx, int status, String html) {
    ctx.status(status)
        .contentType(Pages.CONTENT_TYPE)
        .result(html.getBytes(StandardCharsets.UTF_8));
  }

  private static void redirect(Context ctx, String location) {
    ctx.status(303).header("Location", location);
  }
}
