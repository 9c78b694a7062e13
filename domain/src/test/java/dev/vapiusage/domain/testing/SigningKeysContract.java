package dev.vapiusage.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.port.SigningKeys;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link SigningKeys} does; subclasses supply two instances over one store. */
public abstract class SigningKeysContract {

  protected abstract SigningKeys keys();

  /** A second instance over the same store, as another process on the same database. */
  protected abstract SigningKeys otherInstance();

  private static String anyPurpose() {
    return "test-" + UUID.randomUUID();
  }

  @Test
  void key_isThirtyTwoBytesAndStablePerPurpose() {
    String purpose = anyPurpose();
    byte[] key = keys().key(purpose);

    assertThat(key).hasSize(32);
    assertThat(keys().key(purpose)).isEqualTo(key);
  }

  @Test
  void differentPurposes_getDifferentKeys() {
    assertThat(keys().key(anyPurpose())).isNotEqualTo(keys().key(anyPurpose()));
  }

  @Test
  void twoInstancesOnOneStore_getTheSameKey() {
    String purpose = anyPurpose();
    assertThat(otherInstance().key(purpose)).isEqualTo(keys().key(purpose));
  }

  @Test
  void changingAReturnedKey_leavesTheKeyAsItIs() {
    String purpose = anyPurpose();
    byte[] key = keys().key(purpose);
    byte[] copy = key.clone();
    key[0] ^= 1;

    assertThat(keys().key(purpose)).isEqualTo(copy);
  }
}
