package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UserId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's sessions, in memory: a 256-bit random id per login, its user, its CSRF token and
 * an absolute expiry. Restarting the server signs everybody out, which is acceptable for a
 * dashboard whose users hold long-lived API tokens. Thread-safe.
 */
final class SessionStore {
  static final Duration DEFAULT_TTL = Duration.ofHours(12);
  private static final int MAX_SESSIONS = 100_000;

  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  SessionStore(Clock clock, Duration ttl) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("A session lives a positive time");
    }
  }

  /** One signed-in browser. The id and the CSRF token are secrets, so they never print. */
  record Session(String id, UserId userId, String csrfToken, Instant expiresAt) {
    @Override
    public String toString() {
      return "Session[user=" + userId + ", expiresAt=" + expiresAt + "]";
    }
  }

  Duration ttl() {
    return ttl;
  }

  Session create(UserId userId) {
    if (sessions.size() >= MAX_SESSIONS) {
      evict();
    }
    Session session =
        new Session(Secrets.random256(), userId, Secrets.random256(), clock.instant().plus(ttl));
    sessions.put(session.id(), session);
    return session;
  }

  Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(session.expiresAt())) {
      sessions.remove(id, session);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  void end(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  int size() {
    return sessions.size();
  }

  private void evict() {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> !now.isBefore(s.expiresAt()));
    if (sessions.size() >= MAX_SESSIONS) {
      // Still full of live sessions: the oldest logins make room.
      sessions.values().stream()
          .sorted(Comparator.comparing(Session::expiresAt))
          .limit(MAX_SESSIONS / 10)
          .forEach(s -> sessions.remove(s.id(), s));
    }
  }
}
