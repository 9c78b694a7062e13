package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.SealedKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/**
 * The sealed secrets of one table as a key rotation sees them: paged by the master key that sealed
 * them, and re-sealed one committed conditional update at a time. Thread-safe.
 */
final class SealedKeyRows {
  static final int PAGE = 200;

  /** Where the key vault's sealed secrets are stored, one per user. */
  enum Place {
    VAPI_KEYS("vapi_integration", "encrypted_api_key", ", updated_at = :now"),
    WEBHOOK_SECRETS("webhook_endpoint", "encrypted_secret", "");

    private final String table;
    private final String column;
    private final String touch;

    Place(String table, String column, String touch) {
      this.table = table;
      this.column = column;
      this.touch = touch;
    }
  }

  private final Jdbi jdbi;
  private final Clock clock;
  private final Place place;

  /** A stored sealed key; the sealed text is not secret, but it stays out of toString anyway. */
  record Row(String userId, String keyId, String sealed) {
    @Override
    public String toString() {
      return "Row[" + userId + ", " + keyId + "]";
    }
  }

  SealedKeyRows(Jdbi jdbi, Clock clock, Place place) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.place = Objects.requireNonNull(place, "place");
  }

  /** The rows of every place: what a rotation re-seals. */
  static List<SealedKeyRows> everywhere(Jdbi jdbi, Clock clock) {
    return Arrays.stream(Place.values())
        .map(place -> new SealedKeyRows(jdbi, clock, place))
        .toList();
  }

  /** Up to {@link #PAGE} rows sealed under {@code keyId}, of users after {@code afterUser}. */
  List<Row> sealedUnder(String keyId, String afterUser) {
    return Failures.translate(
        "read stored keys",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT user_id, key_id, "
                                + place.column
                                + " FROM {schema}."
                                + place.table
                                + " WHERE key_id = :keyId"
                                + " AND user_id > :after ORDER BY user_id LIMIT "
                                + PAGE)
                        .bind("keyId", keyId)
                        .bind("after", afterUser)
                        .map(
                            (rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3)))
                        .list()));
  }

  int countSealedUnder(String keyId) {
    return Failures.translate(
        "count stored keys",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT COUNT(*) FROM {schema}."
                                + place.table
                                + " WHERE key_id = :keyId")
                        .bind("keyId", keyId)
                        .mapTo(Integer.class)
                        .one()));
  }

  /** Replaces the row's sealed key, unless it changed since it was read; true when replaced. */
  boolean reseal(Row row, SealedKey resealed) {
    return Failures.translate(
        "re-seal a stored key",
        () ->
            jdbi.withHandle(
                    handle ->
                        handle
                            .createUpdate(
                                "UPDATE {schema}."
                                    + place.table
                                    + " SET key_id = :newKeyId, "
                                    + place.column
                                    + " = :sealed"
                                    + place.touch
                                    + " WHERE user_id = :user AND key_id = :oldKeyId"
                                    + " AND "
                                    + place.column
                                    + " = :oldSealed")
                            .bind("newKeyId", resealed.keyId())
                            .bind("sealed", resealed.ciphertext())
                            .bind("now", Instants.arg(clock.instant()))
                            .bind("user", row.userId())
                            .bind("oldKeyId", row.keyId())
                            .bind("oldSealed", row.sealed())
                            .execute())
                == 1);
  }
}
