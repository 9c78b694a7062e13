package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.SigningKeys;

class InMemorySigningKeysTest extends SigningKeysContract {
  private final InMemorySigningKeys keys = new InMemorySigningKeys();

  @Override
  protected SigningKeys keys() {
    return keys;
  }

  @Override
  protected SigningKeys otherInstance() {
    return keys.sharingKeys();
  }
}
