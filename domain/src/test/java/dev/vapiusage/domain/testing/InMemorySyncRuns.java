package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncRuns;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The sync run log in memory, written by the {@link InMemorySyncLease} that shares it. */
public final class InMemorySyncRuns implements SyncRuns {
  private final Map<String, SyncRunRecord> runs = new HashMap<>();

  synchronized void put(SyncRunRecord record) {
    runs.put(record.run().runId(), record);
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
