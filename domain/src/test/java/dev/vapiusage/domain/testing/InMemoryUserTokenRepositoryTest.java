package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.UserTokenRepository;

class InMemoryUserTokenRepositoryTest extends UserTokenRepositoryContract {
  private final InMemoryUserTokenRepository repository = new InMemoryUserTokenRepository();

  @Override
  protected UserTokenRepository repository() {
    return repository;
  }
}
