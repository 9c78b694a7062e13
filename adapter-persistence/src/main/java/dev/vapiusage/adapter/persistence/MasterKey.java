package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A master key derived from a secret: PBKDF2-HMAC-SHA256 stretches the secret (a person may have
 * typed it) with the installation's salt, and HKDF splits the result into the AES-256 key that
 * seals Vapi keys and the key of the check value. Immutable and thread-safe; never prints itself.
 */
final class MasterKey {
  static final int DEFAULT_ITERATIONS = 600_000;
  private static final int SALT_BYTES = 32;
  private static final byte[] CHECK_MESSAGE =
      "vapi-usage key check".getBytes(StandardCharsets.US_ASCII);

  private final VaultKeyRecord source;
  private final SecretKeySpec sealingKey;
  private final byte[] checkValue;

  private MasterKey(VaultKeyRecord source, SecretKeySpec sealingKey, byte[] checkValue) {
    this.source = source;
    this.sealingKey = sealingKey;
    this.checkValue = checkValue;
  }

  /**
   * Derives the key a stored record describes from a secret, right or wrong; see {@link #matches}.
   */
  static MasterKey derive(String secret, VaultKeyRecord record) {
    if (!VaultKeyRecord.PBKDF2_SHA256.equals(record.kdf())) {
      throw new UsageException(
          ErrorCode.INTERNAL_ERROR,
          "Master key " + record.keyId() + " uses an unknown key derivation: " + record.kdf());
    }
    byte[] stretched = pbkdf2(secret, record.salt(), record.iterations());
    try {
      byte[] sealing = Hkdf.derive(null, stretched, info("seal", record.keyId()), 32);
      byte[] checking = Hkdf.derive(null, stretched, info("check", record.keyId()), 32);
      try {
        return new MasterKey(
            record, new SecretKeySpec(sealing, "AES"), Hkdf.hmac(checking, CHECK_MESSAGE));
      } finally {
        Arrays.fill(sealing, (byte) 0);
        Arrays.fill(checking, (byte) 0);
      }
    } finally {
      Arrays.fill(stretched, (byte) 0);
    }
  }

  /**
   * A new master key for a secret, with a fresh key id and salt; {@link #record()} is what to
   * store.
   */
  static MasterKey create(String secret, int iterations, SecureRandom random, Instant now) {
    byte[] id = new byte[6];
    random.nextBytes(id);
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    VaultKeyRecord draft =
        new VaultKeyRecord(
            "k" + HexFormat.of().formatHex(id),
            VaultKeyRecord.PBKDF2_SHA256,
            iterations,
            salt,
            new byte[0],
            now);
    return derive(secret, draft);
  }

  /** The record that lets {@link #derive} find this key again from the same secret. */
  VaultKeyRecord record() {
    return new VaultKeyRecord(
        source.keyId(),
        source.kdf(),
        source.iterations(),
        source.salt(),
        checkValue,
        source.createdAt());
  }

  /** Whether the secret this key came from is the one that made its record (constant time). */
  boolean matchesRecord() {
    return MessageDigest.isEqual(checkValue, source.checkValue());
  }

  String keyId() {
    return source.keyId();
  }

  SecretKeySpec sealingKey() {
    return sealingKey;
  }

  @Override
  public String toString() {
    return "MasterKey[" + source.keyId() + "]";
  }

  private static byte[] info(String purpose, String keyId) {
    return ("vapi-usage v1 " + purpose + " " + keyId).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
    char[] chars = secret.toCharArray();
    PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
      Arrays.fill(chars, '\0');
    }
  }
}
