package dev.vapiusage.domain.port;

import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import java.time.Instant;
import java.util.Optional;

/** The standalone server's users and the hashes of their API tokens. Thread-safe. */
public interface UserTokenRepository {

  /** Creates the user when new and adds a token hash to it. */
  void addToken(UserId userId, TokenHash tokenHash, Instant now);

  Optional<UserId> findUser(TokenHash tokenHash);
}
