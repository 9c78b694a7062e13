package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UserId;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authentication when embedded: the host names the user. The host's own credential may be a cookie,
 * so every state-changing request is CSRF-checked unless it carries a bearer header; the CSRF token
 * is an HMAC of the user under a per-process secret, as there is no session of ours.
 */
final class HostAuthenticator implements Authenticator {
  private final CurrentUser currentUser;
  private final SecretKeySpec csrfKey;

  HostAuthenticator(CurrentUser currentUser) {
    this.currentUser = Objects.requireNonNull(currentUser, "currentUser");
    this.csrfKey =
        new SecretKeySpec(Base64.getUrlDecoder().decode(Secrets.random256()), "HmacSHA256");
  }

  @Override
  public Optional<Caller> authenticate(Context ctx) {
    Optional<UserId> user = currentUser.resolve(ctx);
    if (user == null || user.isEmpty()) {
      return Optional.empty();
    }
    String bearer = Authenticator.bearerToken(ctx);
    Caller.Via via = bearer != null && !bearer.isEmpty() ? Caller.Via.BEARER : Caller.Via.HOST;
    return Optional.of(new Caller(user.get(), via, null, csrfToken(user.get())));
  }

  @Override
  public Optional<Caller> browserCaller(Context ctx) {
    Optional<UserId> user = currentUser.resolve(ctx);
    if (user == null || user.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Caller(user.get(), Caller.Via.HOST, null, csrfToken(user.get())));
  }

  private String csrfToken(UserId userId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(csrfKey);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(userId.value().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
    }
  }
}
