package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.UserTokenRepository;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link UserTokenRepository} does; subclasses supply the implementation. */
public abstract class UserTokenRepositoryContract {
  protected abstract UserTokenRepository repository();

  @Test
  void givenAddedToken_findUser_returnsItsUser() {
    UserId user = anyUserId();
    TokenHash hash = TokenHash.of(UUID.randomUUID().toString());
    repository().addToken(user, hash, Instant.now());
    assertThat(repository().findUser(hash)).contains(user);
  }

  @Test
  void givenUnknownToken_findUser_isEmpty() {
    assertThat(repository().findUser(TokenHash.of(UUID.randomUUID().toString()))).isEmpty();
  }

  @Test
  void givenSecondToken_bothFindTheSameUser() {
    UserId user = anyUserId();
    TokenHash first = TokenHash.of(UUID.randomUUID().toString());
    TokenHash second = TokenHash.of(UUID.randomUUID().toString());
    repository().addToken(user, first, Instant.now());
    repository().addToken(user, second, Instant.now());
    assertThat(repository().findUser(first)).contains(user);
    assertThat(repository().findUser(second)).contains(user);
  }
}
