package dev.vapiusage.adapter.persistence;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), which the JDK lacks: splits one key into independent sub-keys.
 */
final class Hkdf {
  private static final String HMAC = "HmacSHA256";
  private static final int HASH_LENGTH = 32;

  private Hkdf() {}

  static byte[] extract(byte[] salt, byte[] inputKeyMaterial) {
    byte[] effectiveSalt = salt == null || salt.length == 0 ? new byte[HASH_LENGTH] : salt;
    return hmac(effectiveSalt, inputKeyMaterial);
  }

  static byte[] expand(byte[] pseudoRandomKey, byte[] info, int length) {
    if (length <= 0 || length > 255 * HASH_LENGTH) {
      throw new IllegalArgumentException(
          "HKDF output length is 1 to " + 255 * HASH_LENGTH + " bytes");
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(pseudoRandomKey, HMAC));
      byte[] output = new byte[length];
      byte[] block = new byte[0];
      int written = 0;
      for (int counter = 1; written < length; counter++) {
        mac.update(block);
        mac.update(info);
        mac.update((byte) counter);
        block = mac.doFinal();
        int take = Math.min(block.length, length - written);
        System.arraycopy(block, 0, output, written, take);
        written += take;
      }
      Arrays.fill(block, (byte) 0);
      return output;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
    }
  }

  static byte[] derive(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
    byte[] prk = extract(salt, inputKeyMaterial);
    try {
      return expand(prk, info, length);
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
    }
  }
}
