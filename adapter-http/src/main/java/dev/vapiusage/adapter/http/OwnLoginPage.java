package dev.vapiusage.adapter.http;

import dev.vapiusage.application.AuthenticateToken;
import java.util.Objects;
import java.util.Optional;

/**
 * Standalone login: the pages' own form checks an API token, starts a session and throttles failed
 * attempts; the pages can sign out.
 */
record OwnLoginPage(AuthenticateToken tokens, SessionStore sessions, LoginThrottle throttle)
    implements LoginMode {

  OwnLoginPage {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(throttle, "throttle");
  }

  @Override
  public String loginPath(String base) {
    return base + PageRoutes.LOGIN;
  }

  @Override
  public Optional<OwnLoginPage> ownLoginPage() {
    return Optional.of(this);
  }
}
