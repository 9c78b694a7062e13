package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.TimeField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Vapi account in memory for use-case tests: accepts its keys, streams the calls of a window in
 * small batches, and can be told to reject keys or to fail after some batches.
 */
public final class InMemoryMetricsSource implements MetricsSource {
  private final Set<ApiKey> acceptedKeys = ConcurrentHashMap.newKeySet();
  private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();
  private final AtomicInteger streams = new AtomicInteger();
  private volatile int batchSize = 3;
  private volatile int failAfterBatches = -1;
  private volatile boolean unavailable;

  public InMemoryMetricsSource accept(ApiKey key) {
    acceptedKeys.add(key);
    return this;
  }

  public void revoke(ApiKey key) {
    acceptedKeys.remove(key);
  }

  /** Adds calls, or replaces those with the same id (Vapi updating a call). */
  public void put(List<CallRecord> newCalls) {
    newCalls.forEach(call -> calls.put(call.id(), call));
  }

  public void put(CallRecord call) {
    calls.put(call.id(), call);
  }

  public void batchSize(int size) {
    batchSize = size;
  }

  /** The next stream fails with {@code vapi_unavailable} after delivering this many batches. */
  public void failAfterBatches(int batches) {
    failAfterBatches = batches;
  }

  public void unavailable(boolean value) {
    unavailable = value;
  }

  public int streamCount() {
    return streams.get();
  }

  @Override
  public void verify(ApiKey apiKey) {
    check(apiKey);
  }

  @Override
  public void stream(ApiKey apiKey, CallWindow window, Consumer<List<CallRecord>> batches) {
    check(apiKey);
    streams.incrementAndGet();
    List<CallRecord> batch = new ArrayList<>();
    int delivered = 0;
    for (CallRecord call : calls.values()) {
      if (!window.contains(
          window.field() == TimeField.CREATED_AT ? call.createdAt() : call.updatedAt())) {
        continue;
      }
      batch.add(call);
      if (batch.size() == batchSize) {
        if (delivered == failAfterBatches) {
          failAfterBatches = -1;
          throw UsageException.vapiUnavailable("injected failure");
        }
        batches.accept(batch);
        delivered++;
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      batches.accept(batch);
    }
  }

  private void check(ApiKey apiKey) {
    if (unavailable) {
      throw UsageException.vapiUnavailable("injected outage");
    }
    if (!acceptedKeys.contains(apiKey)) {
      throw UsageException.invalidApiKey();
    }
  }
}
