package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncRunRepository;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** The sync run record, cursor and per-user lease in memory; one lock keeps it simple and correct. */
public final class InMemorySyncRunRepository implements SyncRunRepository {
  private final Map<UserId, Lease> leases = new HashMap<>();
  private final Map<String, SyncRunRecord> runs = new HashMap<>();
  private final Map<UserId, Instant> cursors = new HashMap<>();
  private long sequence;

  private record Lease(String runId, Instant expiresAt) {}

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
    runs.put(runId, new SyncRunRecord(run, 0, null, null));
    return Optional.of(run);
  }

  @Override
  public synchronized boolean renew(SyncRun run, long callsSeen, long callsChanged, Instant now, Duration lease) {
    Lease held = leases.get(run.userId());
    if (held == null || !held.runId().equals(run.runId())) {
      return false;
    }
    leases.put(run.userId(), new Lease(run.runId(), now.plus(lease)));
    runs.put(run.runId(), new SyncRunRecord(run, callsSeen, null, null));
    return true;
  }

  @Override
  public synchronized void finish(SyncRun run, SyncOutcome outcome, Instant now) {
    runs.put(run.runId(), new SyncRunRecord(run, outcome.callsSeen(), outcome, now));
    Lease held = leases.get(run.userId());
    if (held != null && held.runId().equals(run.runId())) {
      leases.remove(run.userId());
    }
  }

  @Override
  public synchronized Optional<Instant> cursor(UserId userId) {
    return Optional.ofNullable(cursors.get(userId));
  }

  @Override
  public synchronized void advanceCursor(UserId userId, Instant cursor) {
    cursors.merge(userId, cursor, (old, proposed) -> proposed.isAfter(old) ? proposed : old);
  }

  @Override
  public synchronized List<SyncRunRecord> history(UserId userId, int limit) {
    return new ArrayList<>(runs.values())
        .stream()
            .filter(r -> r.run().userId().equals(userId))
            .sorted(
                Comparator.comparing((SyncRunRecord r) -> r.run().startedAt())
                    .thenComparing(r -> Long.parseLong(r.run().runId().split("-")[0]))
                    .reversed())
            .limit(limit)
            .collect(Collectors.toList());
  }
}
