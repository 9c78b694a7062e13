package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.metrics.UsageAccumulator;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The usage repository in memory, summing with the domain's accumulator, and the call history over
 * the same calls; a store that changes a call raises the user's data version.
 */
public final class InMemoryUsageRepository implements UsageRepository, CallHistory {
  private final Map<UserId, Map<String, CallRecord>> callsByUser = new ConcurrentHashMap<>();
  private final InMemoryDataVersions versions;
  private final Map<UserId, Map<String, Instant>> statusAtByUser = new ConcurrentHashMap<>();

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
      forgetStatus(userId, call.id());
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
  public synchronized boolean storeIfNewer(UserId userId, CallRecord call) {
    Map<String, CallRecord> stored =
        callsByUser.computeIfAbsent(userId, id -> new ConcurrentHashMap<>());
    CallRecord previous = stored.get(call.id());
    if (previous != null && !call.updatedAt().isAfter(previous.updatedAt())) {
      return false;
    }
    stored.put(call.id(), call);
    forgetStatus(userId, call.id());
    versions.raise(userId);
    return true;
  }

  @Override
  public synchronized boolean storeStatus(UserId userId, CallRecord call, Instant at) {
    Map<String, CallRecord> stored =
        callsByUser.computeIfAbsent(userId, id -> new ConcurrentHashMap<>());
    Map<String, Instant> statusAt =
        statusAtByUser.computeIfAbsent(userId, id -> new ConcurrentHashMap<>());
    CallRecord previous = stored.get(call.id());
    if (previous == null) {
      stored.put(call.id(), call);
      statusAt.put(call.id(), at);
      versions.raise(userId);
      return true;
    }
    Instant lastStatus = statusAt.get(call.id());
    if (!at.isAfter(previous.updatedAt()) || (lastStatus != null && !at.isAfter(lastStatus))) {
      return false;
    }
    statusAt.put(call.id(), at);
    if (Objects.equals(previous.status(), call.status())) {
      return false;
    }
    stored.put(call.id(), previous.withStatus(call.status()));
    versions.raise(userId);
    return true;
  }

  @Override
  public synchronized UsageMetrics aggregate(UserId userId, DateRange range) {
    UsageAccumulator accumulator = new UsageAccumulator(range);
    accumulator.addAll(callsByUser.getOrDefault(userId, Map.of()).values());
    return accumulator.toMetrics();
  }

  @Override
  public synchronized List<CallRecord> page(
      UserId userId, CallQuery query, Optional<CallPosition> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit is at least 1");
    }
    return matching(userId, query)
        .filter(call -> after.map(position -> position.isBefore(positionOf(call))).orElse(true))
        .limit(limit)
        .collect(Collectors.toList());
  }

  @Override
  public synchronized Optional<CallRecord> find(UserId userId, String callId) {
    return Optional.ofNullable(callsByUser.getOrDefault(userId, Map.of()).get(callId));
  }

  @Override
  public void forEach(UserId userId, CallQuery query, Consumer<CallRecord> each) {
    List<CallRecord> calls;
    synchronized (this) {
      calls = matching(userId, query).collect(Collectors.toList());
    }
    calls.forEach(each);
  }

  @Override
  public synchronized long countStuck(UserId userId, DateRange range, Instant createdBefore) {
    return callsByUser.getOrDefault(userId, Map.of()).values().stream()
        .filter(call -> range.contains(call.createdAt()))
        .filter(call -> call.status() != null)
        .filter(call -> CallRecord.UNFINISHED_STATUSES.contains(call.status()))
        .filter(call -> call.createdAt().isBefore(createdBefore))
        .count();
  }

  /** The query's calls in list order, without their cost items (as the port hands them out). */
  private Stream<CallRecord> matching(UserId userId, CallQuery query) {
    return callsByUser.getOrDefault(userId, Map.of()).values().stream()
        .filter(query::matches)
        .sorted(Comparator.comparing(InMemoryUsageRepository::positionOf, CallPosition.LIST_ORDER))
        .map(call -> call.withCostItems(List.of()));
  }

  private static CallPosition positionOf(CallRecord call) {
    return new CallPosition(call.createdAt(), call.id());
  }

  private void forgetStatus(UserId userId, String callId) {
    Map<String, Instant> statusAt = statusAtByUser.get(userId);
    if (statusAt != null) {
      statusAt.remove(callId);
    }
  }

  /** How many calls are stored for the user. */
  public synchronized int count(UserId userId) {
    return callsByUser.getOrDefault(userId, Map.of()).size();
  }
}
