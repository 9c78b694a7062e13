package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The per-user sync lease in memory, logging its runs in an {@link InMemorySyncRuns}; one lock
 * keeps it simple and correct.
 */
public final class InMemorySyncLease implements SyncLease {
  private final Map<UserId, Lease> leases = new HashMap<>();
  private final InMemorySyncRuns runs;
  private long sequence;

  private record Lease(String runId, Instant expiresAt) {}

  /** A lease logging its runs in {@code runs}. */
  public InMemorySyncLease(InMemorySyncRuns runs) {
    this.runs = Objects.requireNonNull(runs, "runs");
  }

  /** A lease with a run log of its own, for callers that never read it. */
  public InMemorySyncLease() {
    this(new InMemorySyncRuns());
  }

  @Override
  public synchronized Optional<SyncRun> tryStart(
      UserId userId, SyncKind kind, CallWindow window, Instant now, Duration lease) {
    Lease held = leases.get(userId);
    if (held != null && held.expiresAt().isAfter(now)) {
      return Optional.empty();
    }
    String runId = (++sequence) + "-" + UUID.randomUUID();
    SyncRun run = new SyncRun(runId, userId, kind, window, now);
    leases.put(userId, new Lease(runId, now.plus(lease)));
    runs.put(new SyncRunRecord(run, 0, null, null));
    return Optional.of(run);
  }

  @Override
  public synchronized boolean renew(
      SyncRun run, long callsSeen, long callsChanged, Instant now, Duration lease) {
    Lease held = leases.get(run.userId());
    if (held == null || !held.runId().equals(run.runId())) {
      return false;
    }
    leases.put(run.userId(), new Lease(run.runId(), now.plus(lease)));
    runs.put(new SyncRunRecord(run, callsSeen, null, null));
    return true;
  }

  @Override
  public synchronized void finish(SyncRun run, SyncOutcome outcome, Instant now) {
    runs.put(new SyncRunRecord(run, outcome.callsSeen(), outcome, now));
    Lease held = leases.get(run.userId());
    if (held != null && held.runId().equals(run.runId())) {
      leases.remove(run.userId());
    }
  }
}
