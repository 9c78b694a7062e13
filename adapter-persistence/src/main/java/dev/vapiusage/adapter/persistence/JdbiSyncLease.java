package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user lease in {@code sync_lease}, logging the runs that hold it in {@code sync_run} in
 * the same transactions (read by {@link JdbiSyncRuns}). The lease is taken by one conditional
 * upsert that the database applies atomically, so it keeps runs apart across threads and processes
 * alike (an H2 file database shared through AUTO_SERVER included). Lease times are the callers'
 * clocks. Thread-safe.
 */
final class JdbiSyncLease implements SyncLease {
  private static final Logger LOG = LoggerFactory.getLogger(JdbiSyncLease.class);
  private static final String TAKE_LEASE_POSTGRESQL =
      "INSERT INTO {schema}.sync_lease (user_id, run_id, expires_at, holder) VALUES (:user, :run, :expires, :holder)"
          + " ON CONFLICT (user_id) DO UPDATE SET run_id = EXCLUDED.run_id, expires_at = EXCLUDED.expires_at,"
          + " holder = EXCLUDED.holder WHERE sync_lease.expires_at <= :now";
  private static final String TAKE_LEASE_H2 =
      "MERGE INTO {schema}.sync_lease l USING (VALUES (CAST(:user AS VARCHAR(128)), CAST(:run AS VARCHAR(64)),"
          + " CAST(:expires AS TIMESTAMP WITH TIME ZONE), CAST(:holder AS VARCHAR(300))))"
          + " s(user_id, run_id, expires_at, holder) ON l.user_id = s.user_id"
          + " WHEN MATCHED AND l.expires_at <= :now THEN UPDATE SET run_id = s.run_id, expires_at = s.expires_at,"
          + " holder = s.holder"
          + " WHEN NOT MATCHED THEN INSERT (user_id, run_id, expires_at, holder)"
          + " VALUES (s.user_id, s.run_id, s.expires_at, s.holder)";

  /**
   * Takes over the lease of a run that still holds it, if it is expired or its holder is the one
   * found gone; both re-checked under the row's lock, so a run that renewed meanwhile keeps it.
   */
  private static final String TAKE_OVER_LEASE =
      "UPDATE {schema}.sync_lease SET run_id = :run, expires_at = :expires, holder = :holder"
          + " WHERE user_id = :user AND run_id = :previous AND (expires_at <= :now OR holder = :goneHolder)";

  /** The run that held a lease taken over (expired, or its process gone) ended without a word. */
  private static final String ABANDON_RUN =
      "UPDATE {schema}.sync_run SET status = 'failed', finished_at = :now, error_code = 'sync_failed'"
          + " WHERE run_id = :previous AND status = 'running'";

  /**
   * What H2 answers when two sessions race for one lease row: a duplicate key, or a row another
   * transaction changed first. Either way the other session won.
   */
  private static final Set<String> LOST_RACE_STATES = Set.of("23505", "90131");

  private final Jdbi jdbi;
  private final Dialect dialect;

  private record HeldLease(String runId, String holder, Instant expiresAt) {}

  JdbiSyncLease(Jdbi jdbi, Dialect dialect) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  @Override
  public Optional<SyncRun> tryStart(
      UserId userId, SyncKind kind, CallWindow window, Instant now, Duration lease) {
    SyncRun run = new SyncRun(UUID.randomUUID().toString(), userId, kind, window, now);
    try {
      return Failures.translate(
          "start a sync run",
          () ->
              jdbi.inTransaction(
                  handle ->
                      takeLease(handle, run, now, lease)
                          ? Optional.of(run)
                          : Optional.<SyncRun>empty()));
    } catch (RuntimeException e) {
      if (lostRace(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Takes the user's lease when it is free or expired, or when the process holding it ran on this
   * host and is gone (a killed sync is then taken over at once, not after the lease runs out); the
   * run it replaces is recorded as failed. Records the new run in the same transaction.
   */
  private boolean takeLease(Handle handle, SyncRun run, Instant now, Duration lease) {
    String user = run.userId().value();
    String holder = LeaseHolder.thisProcess().text();
    Optional<HeldLease> held =
        handle
            .createQuery(
                "SELECT run_id, holder, expires_at FROM {schema}.sync_lease WHERE user_id = :user")
            .bind("user", user)
            .map(
                (rs, ctx) ->
                    new HeldLease(
                        rs.getString("run_id"),
                        rs.getString("holder"),
                        Instants.read(rs, "expires_at")))
            .findOne();
    int taken;
    if (held.isPresent()) {
      HeldLease previous = held.get();
      boolean expired = !previous.expiresAt().isAfter(now);
      boolean gone = LeaseHolder.parse(previous.holder()).map(LeaseHolder::isGone).orElse(false);
      if (!expired && !gone) {
        return false;
      }
      taken =
          handle
              .createUpdate(TAKE_OVER_LEASE)
              .bind("run", run.runId())
              .bind("expires", Instants.arg(now.plus(lease)))
              .bind("holder", holder)
              .bind("user", user)
              .bind("previous", previous.runId())
              .bind("now", Instants.arg(now))
              .bind("goneHolder", gone ? previous.holder() : null)
              .execute();
      if (taken > 0) {
        handle
            .createUpdate(ABANDON_RUN)
            .bind("now", Instants.arg(now))
            .bind("previous", previous.runId())
            .execute();
        LOG.info(
            "Took over the sync lease of user {} from run {} ({})",
            user,
            previous.runId(),
            gone ? "its process " + previous.holder() + " is gone" : "it expired");
      }
    } else {
      // No lease yet: of two runs inserting at once, the conditional upsert lets one win.
      taken =
          handle
              .createUpdate(dialect == Dialect.POSTGRESQL ? TAKE_LEASE_POSTGRESQL : TAKE_LEASE_H2)
              .bind("user", user)
              .bind("run", run.runId())
              .bind("expires", Instants.arg(now.plus(lease)))
              .bind("holder", holder)
              .bind("now", Instants.arg(now))
              .execute();
    }
    if (taken == 0) {
      return false;
    }
    handle
        .createUpdate(
            "INSERT INTO {schema}.sync_run (run_id, user_id, kind, window_field, window_from, window_to,"
                + " started_at, status) VALUES (:run, :user, :kind, :field, :from, :to, :now, 'running')")
        .bind("run", run.runId())
        .bind("user", user)
        .bind("kind", run.kind().code())
        .bind("field", run.window().field().name())
        .bind("from", Instants.arg(run.window().from()))
        .bind("to", Instants.arg(run.window().to()))
        .bind("now", Instants.arg(now))
        .execute();
    return true;
  }

  @Override
  public boolean renew(
      SyncRun run, long callsSeen, long callsChanged, Instant now, Duration lease) {
    return Failures.translate(
        "renew a sync lease",
        () ->
            jdbi.inTransaction(
                handle -> {
                  boolean held =
                      handle
                              .createUpdate(
                                  "UPDATE {schema}.sync_lease SET expires_at = :expires WHERE user_id = :user AND run_id = :run")
                              .bind("expires", Instants.arg(now.plus(lease)))
                              .bind("user", run.userId().value())
                              .bind("run", run.runId())
                              .execute()
                          == 1;
                  if (held) {
                    handle
                        .createUpdate(
                            "UPDATE {schema}.sync_run SET calls_seen = :seen, calls_changed = :changed"
                                + " WHERE run_id = :run AND status = 'running'")
                        .bind("seen", callsSeen)
                        .bind("changed", callsChanged)
                        .bind("run", run.runId())
                        .execute();
                  }
                  return held;
                }));
  }

  @Override
  public void finish(SyncRun run, SyncOutcome outcome, Instant now) {
    Failures.run(
        "finish a sync run",
        () ->
            jdbi.useTransaction(
                handle -> {
                  handle
                      .createUpdate(
                          "UPDATE {schema}.sync_run SET status = :status, finished_at = :now, calls_seen = :seen,"
                              + " calls_changed = :changed, error_code = :error WHERE run_id = :run"
                              // A run taken over (and so recorded as failed) keeps that record.
                              + " AND status = 'running'")
                      .bind("status", outcome.status().code())
                      .bind("now", Instants.arg(now))
                      .bind("seen", outcome.callsSeen())
                      .bind("changed", outcome.callsChanged())
                      .bind("error", outcome.error() == null ? null : outcome.error().code())
                      .bind("run", run.runId())
                      .execute();
                  handle
                      .createUpdate(
                          "DELETE FROM {schema}.sync_lease WHERE user_id = :user AND run_id = :run")
                      .bind("user", run.userId().value())
                      .bind("run", run.runId())
                      .execute();
                }));
  }

  private boolean lostRace(Throwable e) {
    return dialect == Dialect.H2 && LOST_RACE_STATES.contains(Failures.sqlState(e));
  }
}
