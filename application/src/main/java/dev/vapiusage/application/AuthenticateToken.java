package dev.vapiusage.application;

import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.UserTokenRepository;
import java.util.Objects;
import java.util.Optional;

/** Finds the user an API token belongs to; anything that is not a known token finds nobody. */
public final class AuthenticateToken {
  private static final int MAX_TOKEN_LENGTH = 128;

  private final UserTokenRepository tokens;

  public AuthenticateToken(UserTokenRepository tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  public Optional<UserId> authenticate(String token) {
    if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    return tokens.findUser(TokenHash.of(token.strip()));
  }
}
