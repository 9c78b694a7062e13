package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the key vault for a master secret. It derives the key once and checks it against the stored
 * check value, so a wrong secret stops start-up before anything is written; the first start creates
 * the master key. Thread-safe.
 */
final class KeyVaultOpening {
  static final int MIN_SECRET_LENGTH = 32;
  private static final Logger LOG = LoggerFactory.getLogger(KeyVaultOpening.class);

  private final MasterKeys masterKeys;
  private final int iterations;
  private final Clock clock;
  private final SecureRandom random;

  /** {@code iterations}: PBKDF2 iterations of the master key a first start creates. */
  KeyVaultOpening(MasterKeys masterKeys, int iterations, Clock clock, SecureRandom random) {
    this.masterKeys = Objects.requireNonNull(masterKeys, "masterKeys");
    if (iterations <= 0) {
      throw new IllegalArgumentException("iterations is positive");
    }
    this.iterations = iterations;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The vault for {@code secret} (ENCRYPTION_KEY); the first start creates the master key. */
  AesGcmKeyVault open(String secret) {
    requireLongEnough(secret, "ENCRYPTION_KEY");
    Optional<MasterKeys.State> state = masterKeys.read();
    if (state.isEmpty()) {
      MasterKey created = MasterKey.create(secret, iterations, random, clock.instant());
      if (masterKeys.initialize(created)) {
        LOG.info(
            "Created master key {} ({} with {} iterations)",
            created.keyId(),
            VaultKeyRecord.PBKDF2_SHA256,
            iterations);
        return new AesGcmKeyVault(created, random);
      }
      // Another process initialised the vault at the same moment: check against its key.
      state = masterKeys.read();
    }
    MasterKeys.State current =
        state.orElseThrow(
            () -> new UsageException(ErrorCode.INTERNAL_ERROR, "The key vault is not set up"));
    MasterKey active = MasterKey.derive(secret, current.active());
    if (!active.matchesRecord()) {
      if (current.next().isPresent()
          && MasterKey.derive(secret, current.next().get()).matchesRecord()) {
        throw new EncryptionKeyException(
            EncryptionKeyException.Reason.ROTATION_UNFINISHED,
            "ENCRYPTION_KEY is the new key of an unfinished rotate-key; run rotate-key again with"
                + " OLD_ENCRYPTION_KEY set to finish it");
      }
      throw new EncryptionKeyException(
          EncryptionKeyException.Reason.WRONG_KEY,
          "ENCRYPTION_KEY is not the key the stored Vapi keys were sealed with (to change it, run rotate-key"
              + " with the previous one as OLD_ENCRYPTION_KEY)");
    }
    if (current.active().iterations() < MasterKey.DEFAULT_ITERATIONS) {
      LOG.warn(
          "Master key {} uses {} PBKDF2 iterations, fewer than the {} recommended; run rotate-key to upgrade it",
          active.keyId(),
          current.active().iterations(),
          MasterKey.DEFAULT_ITERATIONS);
    }
    return new AesGcmKeyVault(active, random);
  }

  static void requireLongEnough(String secret, String variable) {
    if (secret == null || secret.codePointCount(0, secret.length()) < MIN_SECRET_LENGTH) {
      throw new EncryptionKeyException(
          EncryptionKeyException.Reason.TOO_SHORT,
          variable
              + (secret == null || secret.isEmpty() ? " is not set" : " is too short")
              + ": it must be at least "
              + MIN_SECRET_LENGTH
              + " characters");
    }
  }
}
