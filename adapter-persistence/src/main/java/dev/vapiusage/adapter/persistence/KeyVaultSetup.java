package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the key vault for a master secret and rotates the stored Vapi keys to a new one, keeping
 * the master keys' records in {@code vault_key} and which one is in use in {@code vault_state}.
 *
 * <p>Opening derives the key once and checks it against the stored check value, so a wrong secret
 * stops start-up before anything is written. Rotation records the new key as {@code next_key_id},
 * re-seals the keys one row at a time (each a committed conditional update), and only then makes
 * the new key active and deletes the old record: a killed rotation leaves every row on the old or
 * the new key, and running it again finishes it. Thread-safe.
 */
final class KeyVaultSetup {
  static final int MIN_SECRET_LENGTH = 32;
  private static final Logger LOG = LoggerFactory.getLogger(KeyVaultSetup.class);
  private static final int PAGE = 200;
  private static final int ROTATION_PASSES = 3;
  private static final String UNIQUE_VIOLATION = "23505";

  private final Jdbi jdbi;
  private final int iterations;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** {@code iterations}: PBKDF2 iterations of master keys created from now on. */
  KeyVaultSetup(Jdbi jdbi, int iterations, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    if (iterations <= 0) {
      throw new IllegalArgumentException("iterations is positive");
    }
    this.iterations = iterations;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The vault for {@code secret} (ENCRYPTION_KEY); the first start creates the master key. */
  AesGcmKeyVault open(String secret) {
    requireLongEnough(secret, "ENCRYPTION_KEY");
    Optional<State> state = readState();
    if (state.isEmpty()) {
      MasterKey created = MasterKey.create(secret, iterations, random, clock.instant());
      if (initialize(created)) {
        LOG.info("Created master key {} ({} with {} iterations)", created.keyId(), VaultKeyRecord.PBKDF2_SHA256, iterations);
        return new AesGcmKeyVault(created, random);
      }
      // Another process initialised the vault at the same moment: check against its key.
      state = readState();
    }
    State current = state.orElseThrow(() -> new UsageException(ErrorCode.INTERNAL_ERROR, "The key vault is not set up"));
    MasterKey active = MasterKey.derive(secret, current.active());
    if (!active.matchesRecord()) {
      if (current.next().isPresent() && MasterKey.derive(secret, current.next().get()).matchesRecord()) {
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
          active.keyId(), current.active().iterations(), MasterKey.DEFAULT_ITERATIONS);
    }
    return new AesGcmKeyVault(active, random);
  }

  /**
   * Re-seals every stored Vapi key from {@code oldSecret} to {@code newSecret}. {@code afterEachKey}
   * hears the number re-sealed so far after each committed row (tests stop the run there).
   */
  KeyRotation rotate(String oldSecret, String newSecret, IntConsumer afterEachKey) {
    requireLongEnough(oldSecret, "OLD_ENCRYPTION_KEY");
    requireLongEnough(newSecret, "ENCRYPTION_KEY");
    if (oldSecret.equals(newSecret)) {
      throw new EncryptionKeyException(
          EncryptionKeyException.Reason.SAME_KEY, "OLD_ENCRYPTION_KEY and ENCRYPTION_KEY are the same; nothing to rotate");
    }
    Optional<State> state = readState();
    if (state.isEmpty()) {
      return new KeyRotation(0, 0);
    }
    State current = state.get();
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
    int unopenable = 0;
    for (int pass = 0; pass < ROTATION_PASSES; pass++) {
      unopenable = 0;
      String after = "";
      List<Row> page;
      do {
        page = rowsSealedUnder(oldKey.keyId(), after);
        for (Row row : page) {
          after = row.userId();
          Optional<ApiKey> plain = tryOpen(from, row);
          if (plain.isEmpty()) {
            unopenable++;
            continue;
          }
          SealedKey resealedKey = to.seal(UserId.of(row.userId()), plain.get());
          if (reseal(row, resealedKey)) {
            resealed++;
            afterEachKey.accept(resealed);
          }
        }
      } while (page.size() == PAGE);
      // A key connected meanwhile by a server still on the old secret needs another pass.
      if (countSealedUnder(oldKey.keyId()) <= unopenable) {
        break;
      }
    }
    int remaining = countSealedUnder(oldKey.keyId());
    if (remaining > 0) {
      throw new UsageException(
          ErrorCode.INTERNAL_ERROR,
          remaining + " stored Vapi key(s) could not be re-sealed; rotate-key is not finished (see the log)");
    }
    finish(oldKey.keyId(), newKey.keyId());
    int onNewKey = countSealedUnder(newKey.keyId());
    LOG.info("rotate-key finished: {} key(s) re-sealed by this run, {} on master key {}", resealed, onNewKey, newKey.keyId());
    return new KeyRotation(resealed, onNewKey);
  }

  static void requireLongEnough(String secret, String variable) {
    if (secret == null || secret.codePointCount(0, secret.length()) < MIN_SECRET_LENGTH) {
      throw new EncryptionKeyException(
          EncryptionKeyException.Reason.TOO_SHORT,
          variable + (secret == null || secret.isEmpty() ? " is not set" : " is too short")
              + ": it must be at least " + MIN_SECRET_LENGTH + " characters");
    }
  }

  /** The target key of the rotation: the one an interrupted run recorded, or a new one. */
  private MasterKey nextKey(State current, String newSecret) {
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
    boolean recorded =
        Failures.translate(
            "record the new master key",
            () ->
                jdbi.inTransaction(
                    handle -> {
                      insertKey(handle, created.record());
                      return handle
                              .createUpdate(
                                  "UPDATE {schema}.vault_state SET next_key_id = :next, updated_at = :now"
                                      + " WHERE id = 1 AND active_key_id = :active AND next_key_id IS NULL")
                              .bind("next", created.keyId())
                              .bind("now", Instants.arg(clock.instant()))
                              .bind("active", current.active().keyId())
                              .execute()
                          == 1;
                    }));
    if (!recorded) {
      throw new UsageException(ErrorCode.INTERNAL_ERROR, "Another rotate-key started at the same time; run it again");
    }
    return created;
  }

  private Optional<ApiKey> tryOpen(AesGcmKeyVault vault, Row row) {
    try {
      return Optional.of(vault.open(UserId.of(row.userId()), new SealedKey(row.keyId(), row.sealed())));
    } catch (UsageException e) {
      LOG.warn("rotate-key cannot open the stored Vapi key of user {}: {}", row.userId(), e.getMessage());
      return Optional.empty();
    }
  }

  private boolean reseal(Row row, SealedKey resealed) {
    return Failures.translate(
        "re-seal a stored key",
        () ->
            jdbi.withHandle(
                    handle ->
                        handle
                            .createUpdate(
                                "UPDATE {schema}.vapi_integration SET key_id = :newKeyId, encrypted_api_key = :sealed,"
                                    + " updated_at = :now WHERE user_id = :user AND key_id = :oldKeyId"
                                    + " AND encrypted_api_key = :oldSealed")
                            .bind("newKeyId", resealed.keyId())
                            .bind("sealed", resealed.ciphertext())
                            .bind("now", Instants.arg(clock.instant()))
                            .bind("user", row.userId())
                            .bind("oldKeyId", row.keyId())
                            .bind("oldSealed", row.sealed())
                            .execute())
                == 1);
  }

  private void finish(String oldKeyId, String newKeyId) {
    Failures.run(
        "finish the rotation",
        () ->
            jdbi.useTransaction(
                handle -> {
                  handle
                      .createUpdate(
                          "UPDATE {schema}.vault_state SET active_key_id = :next, next_key_id = NULL, updated_at = :now"
                              + " WHERE id = 1 AND active_key_id = :old AND next_key_id = :next")
                      .bind("next", newKeyId)
                      .bind("old", oldKeyId)
                      .bind("now", Instants.arg(clock.instant()))
                      .execute();
                  // Without its record the old secret proves nothing and opens nothing.
                  handle.createUpdate("DELETE FROM {schema}.vault_key WHERE key_id = :old").bind("old", oldKeyId).execute();
                }));
  }

  private List<Row> rowsSealedUnder(String keyId, String afterUser) {
    return Failures.translate(
        "read stored keys",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT user_id, key_id, encrypted_api_key FROM {schema}.vapi_integration WHERE key_id = :keyId"
                                + " AND user_id > :after ORDER BY user_id LIMIT " + PAGE)
                        .bind("keyId", keyId)
                        .bind("after", afterUser)
                        .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3)))
                        .list()));
  }

  private int countSealedUnder(String keyId) {
    return Failures.translate(
        "count stored keys",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery("SELECT COUNT(*) FROM {schema}.vapi_integration WHERE key_id = :keyId")
                        .bind("keyId", keyId)
                        .mapTo(Integer.class)
                        .one()));
  }

  private Optional<State> readState() {
    return Failures.translate(
        "read the key vault",
        () ->
            jdbi.withHandle(
                handle -> {
                  Map<String, VaultKeyRecord> keys =
                      handle
                          .createQuery("SELECT key_id, kdf, iterations, salt, check_value, created_at FROM {schema}.vault_key")
                          .map((rs, ctx) -> toRecord(rs))
                          .collectToMap(VaultKeyRecord::keyId, r -> r);
                  return handle
                      .createQuery("SELECT active_key_id, next_key_id FROM {schema}.vault_state WHERE id = 1")
                      .map(
                          (rs, ctx) ->
                              new State(
                                  keys.get(rs.getString(1)),
                                  Optional.ofNullable(rs.getString(2)).map(keys::get)))
                      .findOne();
                }));
  }

  /** Records the first master key; false when another process did so first. */
  private boolean initialize(MasterKey created) {
    try {
      Failures.run(
          "set up the key vault",
          () ->
              jdbi.useTransaction(
                  handle -> {
                    insertKey(handle, created.record());
                    handle
                        .createUpdate(
                            "INSERT INTO {schema}.vault_state (id, active_key_id, next_key_id, updated_at) VALUES (1, :key, NULL, :now)")
                        .bind("key", created.keyId())
                        .bind("now", Instants.arg(clock.instant()))
                        .execute();
                  }));
      return true;
    } catch (UsageException e) {
      if (UNIQUE_VIOLATION.equals(Failures.sqlState(e))) {
        return false;
      }
      throw e;
    }
  }

  private static void insertKey(Handle handle, VaultKeyRecord record) {
    handle
        .createUpdate(
            "INSERT INTO {schema}.vault_key (key_id, kdf, iterations, salt, check_value, created_at)"
                + " VALUES (:id, :kdf, :iterations, :salt, :check, :createdAt)")
        .bind("id", record.keyId())
        .bind("kdf", record.kdf())
        .bind("iterations", record.iterations())
        .bind("salt", record.saltText())
        .bind("check", record.checkValueText())
        .bind("createdAt", Instants.arg(record.createdAt()))
        .execute();
  }

  private static VaultKeyRecord toRecord(ResultSet rs) throws SQLException {
    return new VaultKeyRecord(
        rs.getString("key_id"),
        rs.getString("kdf"),
        rs.getInt("iterations"),
        Base64.getDecoder().decode(rs.getString("salt")),
        Base64.getDecoder().decode(rs.getString("check_value")),
        Instants.read(rs, "created_at"));
  }

  /** The vault's state row with its keys resolved. */
  private record State(VaultKeyRecord active, Optional<VaultKeyRecord> next) {}

  /** A stored sealed key; the sealed text is not secret, but it stays out of toString anyway. */
  private record Row(String userId, String keyId, String sealed) {
    @Override
    public String toString() {
      return "Row[" + userId + ", " + keyId + "]";
    }
  }
}
