package dev.vapiusage.adapter.http;

import dev.vapiusage.application.AuthenticateToken;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;

/**
 * The standalone server's authentication: a bearer token from {@code users create}, or the session
 * cookie of the login page. A request that sends a bearer header is judged by it alone.
 */
final class TokenAuthenticator implements Authenticator {
  private final AuthenticateToken tokens;
  private final SessionStore sessions;

  TokenAuthenticator(AuthenticateToken tokens, SessionStore sessions) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
  }

  @Override
  public Optional<Caller> authenticate(Context ctx) {
    String bearer = Authenticator.bearerToken(ctx);
    if (bearer != null) {
      return bearer.isEmpty() ? Optional.empty() : tokens.authenticate(bearer).map(Caller::bearer);
    }
    return browserCaller(ctx);
  }

  @Override
  public Optional<Caller> browserCaller(Context ctx) {
    return sessions
        .find(SessionCookie.read(ctx))
        .map(s -> new Caller(s.userId(), Caller.Via.SESSION, s.id(), s.csrfToken()));
  }
}
