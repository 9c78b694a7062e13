package dev.vapiusage.adapter.http;

import io.javalin.http.Context;
import java.util.function.BiConsumer;

/**
 * The headers every response carries. The page policy is sent on every response, JSON included,
 * because it costs nothing and no response then depends on being classified correctly.
 */
final class SecurityHeaders {
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self';"
          + " connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
          + " frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void apply(Context ctx) {
    apply((name, value) -> ctx.header(name, value));
  }

  static void apply(BiConsumer<String, String> setHeader) {
    setHeader.accept("X-Content-Type-Options", "nosniff");
    setHeader.accept("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    setHeader.accept("X-Frame-Options", "DENY");
    // Same-origin requests keep their Referer, which the CSRF check falls back on.
    setHeader.accept("Referrer-Policy", "same-origin");
    setHeader.accept("Cache-Control", "no-store");
  }
}
