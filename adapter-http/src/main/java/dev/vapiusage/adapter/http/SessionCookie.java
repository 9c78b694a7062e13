package dev.vapiusage.adapter.http;

import io.javalin.http.Context;

/**
 * The dashboard session cookie: {@code HttpOnly}, {@code SameSite=Lax} (so a link from elsewhere
 * still opens the dashboard signed in, while cross-site posts carry no cookie), {@code Path=/}, and
 * {@code Secure} whenever the request came over HTTPS.
 */
final class SessionCookie {
  static final String NAME = "vapi_usage_session";

  private SessionCookie() {}

  /** The cookie's value, parsed by hand so a malformed Cookie header is simply no session. */
  static String read(Context ctx) {
    String header = ctx.header("Cookie");
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(NAME)) {
        String value = part.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  static void set(Context ctx, String sessionId, long maxAgeSeconds) {
    ctx.res()
        .addHeader(
            "Set-Cookie", NAME + "=" + sessionId + attributes(ctx) + "; Max-Age=" + maxAgeSeconds);
  }

  static void clear(Context ctx) {
    ctx.res().addHeader("Set-Cookie", NAME + "=" + attributes(ctx) + "; Max-Age=0");
  }

  private static String attributes(Context ctx) {
    return "; Path=/; HttpOnly; SameSite=Lax"
        + ("https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : "");
  }
}
