package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals Vapi keys with AES-256-GCM under a master key: a fresh random 96-bit nonce per seal, and
 * the format version, key id and user id as associated data, so a sealed key copied to another
 * user's row, or relabelled with another key id, does not open. The sealed text is {@code
 * v1:<keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>}. Immutable and thread-safe (a cipher per call);
 * messages never contain a key.
 */
final class AesGcmKeyVault implements KeyVault {
  static final String VERSION = "v1";
  static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String DAMAGED =
      "The stored Vapi key cannot be opened: it was altered, damaged, or sealed for another user";

  private final MasterKey sealing;
  private final Map<String, MasterKey> opening;
  private final SecureRandom random;

  /** Seals with {@code sealing}; opens what any of {@code opening} (by key id) sealed. */
  AesGcmKeyVault(MasterKey sealing, Map<String, MasterKey> opening, SecureRandom random) {
    this.sealing = Objects.requireNonNull(sealing, "sealing");
    this.opening = Map.copyOf(opening);
    this.random = Objects.requireNonNull(random, "random");
  }

  AesGcmKeyVault(MasterKey key, SecureRandom random) {
    this(key, Map.of(key.keyId(), key), random);
  }

  String sealingKeyId() {
    return sealing.keyId();
  }

  @Override
  public SealedKey seal(UserId userId, ApiKey apiKey) {
    byte[] plain = apiKey.reveal().getBytes(StandardCharsets.UTF_8);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealing.sealingKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(sealing.keyId(), userId));
      byte[] body = new byte[NONCE_BYTES + cipher.getOutputSize(plain.length)];
      System.arraycopy(nonce, 0, body, 0, NONCE_BYTES);
      cipher.doFinal(plain, 0, plain.length, body, NONCE_BYTES);
      String text =
          VERSION
              + ":"
              + sealing.keyId()
              + ":"
              + Base64.getUrlEncoder().withoutPadding().encodeToString(body);
      return new SealedKey(sealing.keyId(), text);
    } catch (GeneralSecurityException e) {
      throw new UsageException(ErrorCode.INTERNAL_ERROR, "A Vapi key could not be sealed", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  @Override
  public ApiKey open(UserId userId, SealedKey sealedKey) {
    String[] parts = sealedKey.ciphertext().split(":", -1);
    if (parts.length != 3 || !VERSION.equals(parts[0]) || !parts[1].equals(sealedKey.keyId())) {
      throw refused(DAMAGED);
    }
    MasterKey key = opening.get(parts[1]);
    if (key == null) {
      throw refused(
          "The stored Vapi key cannot be opened: it was sealed under another ENCRYPTION_KEY"
              + " (finish rotate-key, or start with the current ENCRYPTION_KEY)");
    }
    byte[] body = decodeCanonical(parts[2]);
    if (body == null || body.length < NONCE_BYTES + TAG_BITS / 8) {
      throw refused(DAMAGED);
    }
    byte[] plain = null;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key.sealingKey(),
          new GCMParameterSpec(TAG_BITS, body, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(key.keyId(), userId));
      plain = cipher.doFinal(body, NONCE_BYTES, body.length - NONCE_BYTES);
      return ApiKey.of(decodeUtf8(plain));
    } catch (AEADBadTagException e) {
      throw refused(DAMAGED);
    } catch (GeneralSecurityException | CharacterCodingException e) {
      throw new UsageException(ErrorCode.INTERNAL_ERROR, DAMAGED, e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  private static byte[] associatedData(String keyId, UserId userId) {
    return ("vapi-usage|" + VERSION + "|" + keyId + "|" + userId.value())
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Base64url without padding, refusing any text that is not the exact encoding of its bytes:
   * otherwise a flipped unused bit in the last character would decode to the same bytes.
   */
  private static byte[] decodeCanonical(String text) {
    try {
      byte[] body = Base64.getUrlDecoder().decode(text);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(body).equals(text)
          ? body
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String decodeUtf8(byte[] plain) throws CharacterCodingException {
    CharBuffer chars =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(plain));
    return chars.toString();
  }

  private static UsageException refused(String message) {
    return new UsageException(ErrorCode.INTERNAL_ERROR, message);
  }

  @Override
  public String toString() {
    return "AesGcmKeyVault[sealingKey=" + sealing.keyId() + "]";
  }
}
