package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UserId;
import java.util.Objects;

/**
 * The authenticated user of a request and how it proved itself; only a bearer token exempts a
 * state-changing request from the CSRF checks, since browsers never attach one on their own.
 */
record Caller(UserId userId, Via via, String sessionId, String csrfToken) {

  enum Via {
    BEARER,
    SESSION,
    HOST
  }

  Caller {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(via, "via");
  }

  static Caller bearer(UserId userId) {
    return new Caller(userId, Via.BEARER, null, null);
  }

  @Override
  public String toString() {
    return "Caller[" + userId + " via " + via + "]";
  }
}
