package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.UserTokenRepository;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Users and token hashes in memory. */
public final class InMemoryUserTokenRepository implements UserTokenRepository {
  private final Map<String, UserId> userByHash = new ConcurrentHashMap<>();

  @Override
  public void addToken(UserId userId, TokenHash tokenHash, Instant now) {
    userByHash.put(tokenHash.hex(), userId);
  }

  @Override
  public Optional<UserId> findUser(TokenHash tokenHash) {
    return Optional.ofNullable(userByHash.get(tokenHash.hex()));
  }
}
