package dev.vapiusage.application;

import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.UserTokenRepository;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;

/**
 * Creates a standalone-server user (or a new token for an existing one) and returns the token in
 * clear, once: only its hash is stored.
 */
public final class CreateUserToken {
  static final String PREFIX = "vu_";
  private static final int TOKEN_BYTES = 32;

  private final UserTokenRepository tokens;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public CreateUserToken(UserTokenRepository tokens, Clock clock) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public String create(UserId userId) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.addToken(userId, TokenHash.of(token), clock.instant());
    return token;
  }
}
