package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UsageException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The master keys' records in {@code vault_key} and which one is in use (and which one an
 * unfinished rotation moves to) in {@code vault_state}: all the SQL of the vault's own tables. Each
 * change is one transaction, conditional on the state it expects. Thread-safe.
 */
final class MasterKeys {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Jdbi jdbi;
  private final Clock clock;

  /** The vault's state row with its keys resolved. */
  record State(VaultKeyRecord active, Optional<VaultKeyRecord> next) {}

  MasterKeys(Jdbi jdbi, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The state; empty before the first start created a master key. */
  Optional<State> read() {
    return Failures.translate(
        "read the key vault",
        () ->
            jdbi.withHandle(
                handle -> {
                  Map<String, VaultKeyRecord> keys =
                      handle
                          .createQuery(
                              "SELECT key_id, kdf, iterations, salt, check_value, created_at FROM {schema}.vault_key")
                          .map((rs, ctx) -> toRecord(rs))
                          .collectToMap(VaultKeyRecord::keyId, r -> r);
                  return handle
                      .createQuery(
                          "SELECT active_key_id, next_key_id FROM {schema}.vault_state WHERE id = 1")
                      .map(
                          (rs, ctx) ->
                              new State(
                                  keys.get(rs.getString(1)),
                                  Optional.ofNullable(rs.getString(2)).map(keys::get)))
                      .findOne();
                }));
  }

  /** Records the first master key as the active one; false when another process did so first. */
  boolean initialize(MasterKey created) {
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

  /**
   * Records {@code created} as the key a rotation moves to, while {@code activeKeyId} is active and
   * no rotation is under way; false when another rotation got there first.
   */
  boolean recordNext(MasterKey created, String activeKeyId) {
    return Failures.translate(
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
                          .bind("active", activeKeyId)
                          .execute()
                      == 1;
                }));
  }

  /** Makes the rotation's key the active one and deletes the old key's record. */
  void promoteNext(String oldKeyId, String newKeyId) {
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
                  handle
                      .createUpdate("DELETE FROM {schema}.vault_key WHERE key_id = :old")
                      .bind("old", oldKeyId)
                      .execute();
                }));
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
}
