package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.UsageRepository;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The usage repository in memory, summing with the domain's accumulator; a store that changes a
 * call raises the user's data version.
 */
public final class InMemoryUsageRepository implements UsageRepository {
  private final Map<UserId, Map<String, CallRecord>> callsByUser = new ConcurrentHashMap<>();
  private final InMemoryDataVersions versions;

  public InMemoryUsageRepository() {
    this(new InMemoryDataVersions());
  }

  public InMemoryUsageRepository(InMemoryDataVersions versions) {
    this.versions = versions;
  }

  @Override
  public synchronized StoreResult store(UserId userId, List<CallRecord> calls) {
    Map<String, CallRecord> stored =
        callsByUser.computeIfAbsent(userId, id -> new ConcurrentHashMap<>());
    int changed = 0;
    for (CallRecord call : calls) {
      CallRecord previous = stored.put(call.id(), call);
      if (!call.equals(previous)) {
        changed++;
      }
    }
    if (changed > 0) {
      versions.raise(userId);
    }
    return new StoreResult(calls.size(), changed);
  }

  @Override
  public synchronized UsageMetrics aggregate(UserId userId, DateRange range) {
    UsageAccumulator accumulator = new UsageAccumulator(range);
    accumulator.addAll(callsByUser.getOrDefault(userId, Map.of()).values());
    return accumulator.toMetrics();
  }

  /** How many calls are stored for the user. */
  public synchronized int count(UserId userId) {
    return callsByUser.getOrDefault(userId, Map.of()).size();
  }
}
