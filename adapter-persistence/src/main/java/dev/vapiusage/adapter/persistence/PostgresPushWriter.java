package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;

/**
 * Stores pushed calls and statuses on PostgreSQL, each only when newer than what is stored.
 *
 * <p>A push takes the user's advisory lock in shared mode: pushes run side by side, while a sync's
 * store and a rollup rebuild (which take it exclusively) wait for them and they for those, so dirty
 * marks stay in step with the calls. Pushes of one call meet at its row: it is locked ({@code FOR
 * UPDATE}) before the stored {@code updated_at} is compared, and an insert that loses a race with
 * another process's insert runs its transaction again, then finding the row.
 *
 * <p>Every change raises the user's data version, one row per user, so a user's pushes would commit
 * one after another, each waiting for the previous one's commit to reach the disk (about 770 per
 * second on a 2-core machine). Pushed calls of one user arriving in one process at the same time
 * are therefore stored together: the first thread writes every call waiting at that moment in one
 * transaction and hands each thread its own answer, and each call returns only after that
 * transaction committed (group commit). Thread-safe.
 */
final class PostgresPushWriter {
  /** At most this many pushed calls in one transaction, so one waits a short while at most. */
  private static final int MOST_PER_TRANSACTION = 200;

  private static final int ATTEMPTS = 5;
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String LOCK_SHARED = "SELECT pg_advisory_xact_lock_shared(?, ?)";
  // Rows are locked in id order, so two processes' transactions over the same calls cannot
  // deadlock.
  private static final String LOCK_STORED =
      "SELECT call_id, created_at, updated_at, cost_items_digest, status, status_at"
          + " FROM {schema}.usage_call WHERE user_id = ? AND call_id = ANY(?) ORDER BY call_id FOR UPDATE";
  private static final String SET_STATUS =
      "UPDATE {schema}.usage_call SET status = ?, status_at = ? WHERE user_id = ? AND call_id = ?";

  private final Jdbi jdbi;
  private final JdbcDataVersions versions;
  private final Tables tables;
  private final UsageRollups rollups;
  private final PostgresCallWriter calls;
  // One small entry per user who ever pushed in this process, kept for the process's life.
  private final Map<UserId, Waiting> waitingByUser = new ConcurrentHashMap<>();

  PostgresPushWriter(
      Jdbi jdbi,
      JdbcDataVersions versions,
      Tables tables,
      UsageRollups rollups,
      PostgresCallWriter calls) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.versions = Objects.requireNonNull(versions, "versions");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.rollups = Objects.requireNonNull(rollups, "rollups");
    this.calls = Objects.requireNonNull(calls, "calls");
  }

  boolean storeIfNewer(UserId userId, CallRecord call) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(call, "call");
    Waiting waiting = waitingByUser.computeIfAbsent(userId, id -> new Waiting());
    Push push = new Push(call);
    waiting.queue.add(push);
    boolean interrupted = false;
    while (!push.isDone()) {
      if (waiting.writing.compareAndSet(false, true)) {
        try {
          while (!push.isDone()) {
            List<Push> batch = new ArrayList<>();
            for (Push next;
                batch.size() < MOST_PER_TRANSACTION && (next = waiting.queue.poll()) != null; ) {
              batch.add(next);
            }
            write(userId, batch);
          }
        } finally {
          waiting.writing.set(false);
          // A push queued while this thread wrote saw it writing and waits: wake the first one to
          // write the rest (pushes queued after this point find no writer and write themselves).
          Push first = waiting.queue.peek();
          if (first != null) {
            LockSupport.unpark(first.thread);
          }
        }
      } else {
        LockSupport.park(this);
        // The push is written whatever happens; an interrupt is kept for the caller to see.
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return push.result();
  }

  /** Stores the batch in one transaction and hands every push its answer, or the failure. */
  private void write(UserId userId, List<Push> batch) {
    // Of several versions of one call, only the newest can be stored.
    Map<String, Push> newest = new TreeMap<>();
    for (Push push : batch) {
      newest.merge(
          push.call.id(),
          push,
          (a, b) -> b.stored.updatedAt().isAfter(a.stored.updatedAt()) ? b : a);
    }
    Set<Push> written;
    try {
      written =
          Failures.translate(
              "store pushed calls",
              () ->
                  retryingRacedInserts(
                      () ->
                          jdbi.inTransaction(
                              handle ->
                                  writeNewest(handle.getConnection(), userId, newest.values()))));
    } catch (RuntimeException | Error e) {
      // Each waiting thread throws the failure; this one goes on to its own push if not in it.
      for (Push push : batch) {
        push.fail(e);
      }
      return;
    }
    for (Push push : batch) {
      push.answer(written.contains(push));
    }
  }

  private Set<Push> writeNewest(Connection connection, UserId userId, Iterable<Push> newest)
      throws SQLException {
    lockShared(connection, userId);
    List<String> ids = new ArrayList<>();
    newest.forEach(push -> ids.add(push.call.id()));
    Map<String, Row> rows = lockRows(connection, userId, ids);
    Set<Push> written = new HashSet<>();
    List<StoredCall> inserts = new ArrayList<>();
    List<StoredCall> updates = new ArrayList<>();
    List<StoredCall> newItems = new ArrayList<>();
    TreeSet<LocalDate> dirtyDays = new TreeSet<>();
    for (Push push : newest) {
      StoredCall incoming = push.stored;
      Row row = rows.get(incoming.callId());
      if (row == null) {
        inserts.add(incoming);
      } else if (incoming.updatedAt().isAfter(row.updatedAt)) {
        updates.add(incoming);
        if (!Objects.equals(row.itemsDigest, incoming.itemsDigest())) {
          newItems.add(incoming);
        }
        dirtyDays.add(UsageRollups.utcDate(row.createdAt));
      } else {
        continue;
      }
      written.add(push);
      dirtyDays.add(UsageRollups.utcDate(incoming.createdAt()));
    }
    if (written.isEmpty()) {
      return written;
    }
    if (!inserts.isEmpty()) {
      calls.copyNew(connection, userId, inserts);
    }
    if (!updates.isEmpty()) {
      calls.updateChanged(connection, userId, updates);
    }
    if (!newItems.isEmpty()) {
      CostItemRows.delete(
          connection, tables, userId, newItems.stream().map(StoredCall::callId).toList());
      CostItemRows.insert(connection, tables, userId, newItems);
    }
    rollups.markDirty(connection, userId, dirtyDays);
    // Last, so the user's version row stays locked only while the transaction commits.
    versions.raise(connection, userId);
    return written;
  }

  boolean storeStatus(UserId userId, CallRecord call, Instant at) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(call, "call");
    Instant statusAt = at.truncatedTo(ChronoUnit.MICROS);
    return Failures.translate(
        "store a pushed status",
        () ->
            retryingRacedInserts(
                () ->
                    jdbi.inTransaction(
                        handle -> writeStatus(handle.getConnection(), userId, call, statusAt))));
  }

  private boolean writeStatus(Connection connection, UserId userId, CallRecord call, Instant at)
      throws SQLException {
    lockShared(connection, userId);
    Row row = lockRows(connection, userId, List.of(call.id())).get(call.id());
    if (row == null) {
      StoredCall incoming = StoredCall.of(call);
      calls.copyNew(connection, userId, List.of(incoming));
      setStatus(connection, userId, call.id(), call.status(), at);
      rollups.markDirty(
          connection, userId, new TreeSet<>(Set.of(UsageRollups.utcDate(incoming.createdAt()))));
      versions.raise(connection, userId);
      return true;
    }
    if (!at.isAfter(row.updatedAt) || (row.statusAt != null && !at.isAfter(row.statusAt))) {
      return false;
    }
    setStatus(connection, userId, call.id(), call.status(), at);
    if (Objects.equals(row.status, call.status())) {
      return false;
    }
    versions.raise(connection, userId);
    return true;
  }

  /**
   * Runs a transaction again when its insert lost a race with another process's insert of the same
   * call; the next attempt finds the row and locks it.
   */
  private static <T> T retryingRacedInserts(Failures.SqlWork<T> transaction) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return transaction.get();
      } catch (SQLException | RuntimeException e) {
        if (attempt >= ATTEMPTS || !UNIQUE_VIOLATION.equals(Failures.sqlState(e))) {
          throw e;
        }
      }
    }
  }

  private static void lockShared(Connection connection, UserId userId) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK_SHARED)) {
      lock.setInt(1, UserLock.LOCK_NAMESPACE);
      lock.setInt(2, UserLock.key(userId));
      lock.execute();
    }
  }

  private Map<String, Row> lockRows(Connection connection, UserId userId, List<String> ids)
      throws SQLException {
    Map<String, Row> rows = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(LOCK_STORED))) {
      statement.setString(1, userId.value());
      statement.setArray(2, connection.createArrayOf("text", ids.toArray(String[]::new)));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.put(
              rs.getString("call_id"),
              new Row(
                  Instants.read(rs, "created_at"),
                  Instants.read(rs, "updated_at"),
                  rs.getString("cost_items_digest"),
                  rs.getString("status"),
                  Instants.read(rs, "status_at")));
        }
      }
    }
    return rows;
  }

  private void setStatus(
      Connection connection, UserId userId, String callId, String status, Instant at)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(SET_STATUS))) {
      statement.setString(1, status);
      statement.setObject(2, Instants.toDb(at));
      statement.setString(3, userId.value());
      statement.setString(4, callId);
      statement.executeUpdate();
    }
  }

  /** What a push is weighed against: the stored call's times, items digest and status. */
  private record Row(
      Instant createdAt, Instant updatedAt, String itemsDigest, String status, Instant statusAt) {}

  /** The pushes of one user waiting to be written, and whether a thread is writing them. */
  private static final class Waiting {
    final ConcurrentLinkedQueue<Push> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean writing = new AtomicBoolean();
  }

  /** One pushed call, the thread waiting for it, and its answer once written. */
  private static final class Push {
    final CallRecord call;
    final StoredCall stored;
    final Thread thread = Thread.currentThread();
    private volatile boolean done;
    private boolean written;
    private Throwable failure;

    Push(CallRecord call) {
      this.call = call;
      this.stored = StoredCall.of(call);
    }

    boolean isDone() {
      return done;
    }

    void answer(boolean wasWritten) {
      written = wasWritten;
      done = true;
      LockSupport.unpark(thread);
    }

    void fail(Throwable e) {
      failure = e;
      done = true;
      LockSupport.unpark(thread);
    }

    boolean result() {
      if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      }
      if (failure instanceof Error) {
        throw (Error) failure;
      }
      return written;
    }
  }
}
