package dev.vapiusage.domain;

import java.util.Objects;

/**
 * A Vapi key as the key vault sealed it: an opaque text and the id of the master key that sealed
 * it. Only the vault that made it can open it.
 */
public record SealedKey(String keyId, String ciphertext) {
  public SealedKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(ciphertext, "ciphertext");
    if (keyId.isBlank() || ciphertext.isBlank()) {
      throw new IllegalArgumentException("A sealed key has a key id and a ciphertext");
    }
  }

  @Override
  public String toString() {
    return "SealedKey[keyId=" + keyId + "]";
  }
}
