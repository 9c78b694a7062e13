package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyApiKey;
import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import org.junit.jupiter.api.Test;

/** What every {@link KeyVault} does; subclasses supply the implementation. */
public abstract class KeyVaultContract {
  protected abstract KeyVault vault();

  @Test
  void sealedKey_opensToTheSameKey() {
    UserId user = anyUserId();
    ApiKey key = anyApiKey();
    assertThat(vault().open(user, vault().seal(user, key))).isEqualTo(key);
  }

  @Test
  void sealedKey_showsNothingOfTheKey() {
    ApiKey key = anyApiKey();
    SealedKey sealed = vault().seal(anyUserId(), key);
    assertThat(sealed.ciphertext()).doesNotContain(key.reveal());
    assertThat(sealed.toString()).doesNotContain(key.reveal()).doesNotContain(sealed.ciphertext());
  }

  @Test
  void sealingTwice_givesTwoDifferentSealedKeys() {
    UserId user = anyUserId();
    ApiKey key = anyApiKey();
    assertThat(vault().seal(user, key)).isNotEqualTo(vault().seal(user, key));
  }

  @Test
  void anotherUsersSealedKey_doesNotOpen() {
    ApiKey key = anyApiKey();
    SealedKey sealed = vault().seal(anyUserId(), key);
    assertThatThrownBy(() -> vault().open(anyUserId(), sealed))
        .isInstanceOf(UsageException.class)
        .hasMessageNotContaining(key.reveal());
  }
}
