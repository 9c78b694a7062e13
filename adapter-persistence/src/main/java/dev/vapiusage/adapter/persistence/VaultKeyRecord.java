package dev.vapiusage.adapter.persistence;

import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A row of {@code vault_key}: how a master key is derived from its secret (KDF, iterations, salt)
 * and the value that proves a secret right. Nothing in it is secret.
 */
record VaultKeyRecord(
    String keyId, String kdf, int iterations, byte[] salt, byte[] checkValue, Instant createdAt) {
  static final String PBKDF2_SHA256 = "PBKDF2-HMAC-SHA256";

  VaultKeyRecord {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(kdf, "kdf");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(checkValue, "checkValue");
    Objects.requireNonNull(createdAt, "createdAt");
    salt = salt.clone();
    checkValue = checkValue.clone();
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  @Override
  public byte[] checkValue() {
    return checkValue.clone();
  }

  String saltText() {
    return Base64.getEncoder().encodeToString(salt);
  }

  String checkValueText() {
    return Base64.getEncoder().encodeToString(checkValue);
  }

  @Override
  public String toString() {
    return "VaultKeyRecord[keyId=" + keyId + ", kdf=" + kdf + ", iterations=" + iterations + "]";
  }
}
