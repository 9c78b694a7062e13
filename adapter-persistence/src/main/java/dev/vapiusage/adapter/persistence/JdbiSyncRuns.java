package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncRuns;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import dev.vapiusage.domain.sync.SyncRunRecord;
import dev.vapiusage.domain.sync.TimeField;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/** The run log in {@code sync_run}, as {@link JdbiSyncLease} writes it. Thread-safe. */
final class JdbiSyncRuns implements SyncRuns {
  private final Jdbi jdbi;

  JdbiSyncRuns(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public List<SyncRunRecord> history(UserId userId, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return Failures.translate(
        "read the sync history",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT run_id, user_id, kind, window_field, window_from, window_to, started_at,"
                                + " status, finished_at, calls_seen, calls_changed, error_code FROM {schema}.sync_run"
                                + " WHERE user_id = :user ORDER BY started_at DESC, seq DESC LIMIT :limit")
                        .bind("user", userId.value())
                        .bind("limit", limit)
                        .map((rs, ctx) -> toRecord(rs))
                        .list()));
  }

  private static SyncRunRecord toRecord(ResultSet rs) throws SQLException {
    SyncRun run =
        new SyncRun(
            rs.getString("run_id"),
            UserId.of(rs.getString("user_id")),
            SyncKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
            new CallWindow(
                TimeField.valueOf(rs.getString("window_field")),
                Instants.read(rs, "window_from"),
                Instants.read(rs, "window_to")),
            Instants.read(rs, "started_at"));
    SyncStatus status = SyncStatus.fromCode(rs.getString("status"));
    if (status == SyncStatus.RUNNING) {
      return new SyncRunRecord(run, rs.getLong("calls_seen"), null, null);
    }
    String error = rs.getString("error_code");
    SyncOutcome outcome =
        new SyncOutcome(
            status,
            rs.getLong("calls_seen"),
            rs.getLong("calls_changed"),
            error == null ? null : ErrorCode.fromCode(error));
    return new SyncRunRecord(run, outcome.callsSeen(), outcome, Instants.read(rs, "finished_at"));
  }
}
