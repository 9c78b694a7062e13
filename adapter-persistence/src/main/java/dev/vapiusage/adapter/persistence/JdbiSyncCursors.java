package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncCursors;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Each user's sync cursor in {@code sync_cursor}, moved by one conditional upsert. Thread-safe. */
final class JdbiSyncCursors implements SyncCursors {
  private static final String ADVANCE_CURSOR_POSTGRESQL =
      "INSERT INTO {schema}.sync_cursor (user_id, cursor_at) VALUES (:user, :cursor) ON CONFLICT (user_id)"
          + " DO UPDATE SET cursor_at = EXCLUDED.cursor_at WHERE sync_cursor.cursor_at < EXCLUDED.cursor_at";
  private static final String ADVANCE_CURSOR_H2 =
      "MERGE INTO {schema}.sync_cursor c USING (VALUES (CAST(:user AS VARCHAR(128)),"
          + " CAST(:cursor AS TIMESTAMP WITH TIME ZONE))) s(user_id, cursor_at) ON c.user_id = s.user_id"
          + " WHEN MATCHED AND c.cursor_at < s.cursor_at THEN UPDATE SET cursor_at = s.cursor_at"
          + " WHEN NOT MATCHED THEN INSERT (user_id, cursor_at) VALUES (s.user_id, s.cursor_at)";

  private final Jdbi jdbi;
  private final Dialect dialect;

  JdbiSyncCursors(Jdbi jdbi, Dialect dialect) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  @Override
  public Optional<Instant> cursor(UserId userId) {
    return Failures.translate(
        "read a sync cursor",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT cursor_at FROM {schema}.sync_cursor WHERE user_id = :user")
                        .bind("user", userId.value())
                        .map((rs, ctx) -> Instants.read(rs, "cursor_at"))
                        .findOne()));
  }

  @Override
  public void advanceCursor(UserId userId, Instant cursor) {
    Failures.run(
        "move a sync cursor",
        () ->
            jdbi.useHandle(
                handle ->
                    handle
                        .createUpdate(
                            dialect == Dialect.POSTGRESQL
                                ? ADVANCE_CURSOR_POSTGRESQL
                                : ADVANCE_CURSOR_H2)
                        .bind("user", userId.value())
                        .bind("cursor", Instants.arg(cursor))
                        .execute()));
  }
}
