package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.adapter.persistence.KeyVaultOpening.requireLongEnough;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rotate-key job: re-seals the stored Vapi keys and webhook secrets from one master secret to
 * another. It records the new key as the next one, re-seals the keys one row at a time (each a
 * committed conditional update), and only then makes the new key active and deletes the old record:
 * a killed rotation leaves every row on the old or the new key, and running it again finishes it.
 * Thread-safe.
 */
final class MasterKeyRotation {
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeyRotation.class);
  private static final int ROTATION_PASSES = 3;

  private final MasterKeys masterKeys;
  private final List<SealedKeyRows> places;
  private final int iterations;
  private final Clock clock;
  private final SecureRandom random;

  /** {@code iterations}: PBKDF2 iterations of the master keys it creates. */
  MasterKeyRotation(
      MasterKeys masterKeys,
      List<SealedKeyRows> places,
      int iterations,
      Clock clock,
      SecureRandom random) {
    this.masterKeys = Objects.requireNonNull(masterKeys, "masterKeys");
    this.places = List.copyOf(places);
    if (iterations <= 0) {
      throw new IllegalArgumentException("iterations is positive");
    }
    this.iterations = iterations;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Re-seals every stored Vapi key from {@code oldSecret} to {@code newSecret}. {@code
   * afterEachKey} hears the number re-sealed so far after each committed row (tests stop the run
   * there).
   */
  KeyRotation rotate(String oldSecret, String newSecret, IntConsumer afterEachKey) {
    requireLongEnough(oldSecret, "OLD_ENCRYPTION_KEY");
    requireLongEnough(newSecret, "ENCRYPTION_KEY");
    if (oldSecret.equals(newSecret)) {
      throw new EncryptionKeyException(
          EncryptionKeyException.Reason.SAME_KEY,
          "OLD_ENCRYPTION_KEY and ENCRYPTION_KEY are the same; nothing to rotate");
    }
    Optional<MasterKeys.State> state = masterKeys.read();
    if (state.isEmpty()) {
      return new KeyRotation(0, 0);
    }
    MasterKeys.State current = state.get();
    if (MasterKey.derive(newSecret, current.active()).matchesRecord()) {
      // Finished by an earlier run (the old key's record is gone): nothing left to do.
      return new KeyRotation(0, countSealedUnder(current.active().keyId()));
    }
    MasterKey oldKey = MasterKey.derive(oldSecret, current.active());
    if (!oldKey.matchesRecord()) {
      throw new EncryptionKeyException(
          EncryptionKeyException.Reason.WRONG_KEY,
          "OLD_ENCRYPTION_KEY is not the key the stored Vapi keys were sealed with");
    }
    MasterKey newKey = nextKey(current, newSecret);
    AesGcmKeyVault from = new AesGcmKeyVault(oldKey, random);
    AesGcmKeyVault to = new AesGcmKeyVault(newKey, random);
    int resealed = 0;
    for (SealedKeyRows rows : places) {
      resealed += reseal(rows, from, to, oldKey, resealed, afterEachKey);
    }
    int remaining = countSealedUnder(oldKey.keyId());
    if (remaining > 0) {
      throw new UsageException(
          ErrorCode.INTERNAL_ERROR,
          remaining
              + " stored Vapi key(s) could not be re-sealed; rotate-key is not finished (see the log)");
    }
    masterKeys.promoteNext(oldKey.keyId(), newKey.keyId());
    int onNewKey = countSealedUnder(newKey.keyId());
    LOG.info(
        "rotate-key finished: {} key(s) re-sealed by this run, {} on master key {}",
        resealed,
        onNewKey,
        newKey.keyId());
    return new KeyRotation(resealed, onNewKey);
  }

  /** Re-seals one place's rows; returns how many this run re-sealed there. */
  private int reseal(
      SealedKeyRows rows,
      AesGcmKeyVault from,
      AesGcmKeyVault to,
      MasterKey oldKey,
      int resealedBefore,
      IntConsumer afterEachKey) {
    int resealed = 0;
    int unopenable = 0;
    for (int pass = 0; pass < ROTATION_PASSES; pass++) {
      unopenable = 0;
      String after = "";
      List<SealedKeyRows.Row> page;
      do {
        page = rows.sealedUnder(oldKey.keyId(), after);
        for (SealedKeyRows.Row row : page) {
          after = row.userId();
          Optional<ApiKey> plain = tryOpen(from, row);
          if (plain.isEmpty()) {
            unopenable++;
            continue;
          }
          SealedKey resealedKey = to.seal(UserId.of(row.userId()), plain.get());
          if (rows.reseal(row, resealedKey)) {
            resealed++;
            afterEachKey.accept(resealedBefore + resealed);
          }
        }
      } while (page.size() == SealedKeyRows.PAGE);
      // A secret stored meanwhile by a server still on the old secret needs another pass.
      if (rows.countSealedUnder(oldKey.keyId()) <= unopenable) {
        break;
      }
    }
    return resealed;
  }

  private int countSealedUnder(String keyId) {
    int count = 0;
    for (SealedKeyRows rows : places) {
      count += rows.countSealedUnder(keyId);
    }
    return count;
  }

  /** The target key of the rotation: the one an interrupted run recorded, or a new one. */
  private MasterKey nextKey(MasterKeys.State current, String newSecret) {
    if (current.next().isPresent()) {
      MasterKey next = MasterKey.derive(newSecret, current.next().get());
      if (!next.matchesRecord()) {
        throw new EncryptionKeyException(
            EncryptionKeyException.Reason.ROTATION_UNFINISHED,
            "An unfinished rotate-key is moving the stored Vapi keys to another ENCRYPTION_KEY;"
                + " run rotate-key again with that one as ENCRYPTION_KEY");
      }
      return next;
    }
    MasterKey created = MasterKey.create(newSecret, iterations, random, clock.instant());
    if (!masterKeys.recordNext(created, current.active().keyId())) {
      throw new UsageException(
          ErrorCode.INTERNAL_ERROR, "Another rotate-key started at the same time; run it again");
    }
    return created;
  }

  private Optional<ApiKey> tryOpen(AesGcmKeyVault vault, SealedKeyRows.Row row) {
    try {
      return Optional.of(
          vault.open(UserId.of(row.userId()), new SealedKey(row.keyId(), row.sealed())));
    } catch (UsageException e) {
      LOG.warn(
          "rotate-key cannot open the stored Vapi key of user {}: {}",
          row.userId(),
          e.getMessage());
      return Optional.empty();
    }
  }
}
