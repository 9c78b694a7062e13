package dev.vapiusage.adapter.http;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;

/** Finds who makes a request: for the API any credential, for pages only a browser's. */
interface Authenticator {

  Optional<Caller> authenticate(Context ctx);

  /** The caller of a page: someone signed in through the browser. */
  Optional<Caller> browserCaller(Context ctx);

  /**
   * The token of an {@code Authorization: Bearer} header, "" for a malformed one, null without one.
   */
  static String bearerToken(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return null;
    }
    String trimmed = header.trim();
    if (!trimmed.toLowerCase(Locale.ROOT).startsWith("bearer")) {
      return null;
    }
    String token = trimmed.substring("bearer".length());
    if (!token.isEmpty() && !Character.isWhitespace(token.charAt(0))) {
      return null;
    }
    return token.trim();
  }
}
