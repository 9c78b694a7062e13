package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.KeyVault;

class InMemoryKeyVaultTest extends KeyVaultContract {
  private final InMemoryKeyVault vault = new InMemoryKeyVault();

  @Override
  protected KeyVault vault() {
    return vault;
  }
}
