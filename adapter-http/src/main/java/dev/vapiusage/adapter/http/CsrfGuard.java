package dev.vapiusage.adapter.http;

import io.javalin.http.Context;

/**
 * Refuses state-changing browser requests that do not come from this server's own pages: the {@code
 * Origin} (else {@code Referer}) must be this server, and a CSRF token, when the request sends one
 * ({@code X-CSRF-Token} header or {@code csrf} form field), must be the caller's. Bearer requests
 * are exempt, since a browser never attaches a bearer header by itself.
 */
final class CsrfGuard {
  static final String HEADER = "X-CSRF-Token";
  static final String FORM_FIELD = "csrf";

  private CsrfGuard() {}

  static boolean isStateChanging(String method) {
    switch (method) {
      case "POST":
      case "PUT":
      case "PATCH":
      case "DELETE":
        return true;
      default:
        return false;
    }
  }

  static void check(Context ctx, Caller caller, String formToken) {
    if (caller.via() == Caller.Via.BEARER) {
      return;
    }
    if (!SameOrigin.isSameOrigin(ctx)) {
      throw HttpErrors.forbidden("This request does not come from this site's own pages");
    }
    String presented = ctx.header(HEADER);
    if (presented == null) {
      presented = formToken;
    }
    // The origin check is the contract's rule; the token, when sent, must also match.
    if (presented != null && !Secrets.equal(presented, caller.csrfToken())) {
      throw HttpErrors.forbidden("The CSRF token does not match this session");
    }
  }
}
