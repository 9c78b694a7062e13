package dev.vapiusage;

import dev.vapiusage.application.SyncListener;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.SyncOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts sync runs by outcome and calls stored, for {@code GET /metrics}. */
final class SyncMeters implements SyncListener {
  private final MeterRegistry registry;
  private final Counter callsStored;
  // Progress reports running totals per run; the counter needs the increments.
  private final Map<UserId, Long> storedSoFar = new ConcurrentHashMap<>();

  SyncMeters(MeterRegistry registry) {
    this.registry = registry;
    this.callsStored =
        Counter.builder("vapi_usage_sync_calls_stored")
            .description("Calls received from Vapi and stored")
            .register(registry);
  }

  @Override
  public void progress(UserId userId, long callsStored, long callsChanged, Instant reached) {
    long before = storedSoFar.getOrDefault(userId, 0L);
    storedSoFar.put(userId, callsStored);
    this.callsStored.increment(Math.max(0, callsStored - before));
  }

  @Override
  public void finished(UserId userId, SyncOutcome outcome) {
    storedSoFar.remove(userId);
    Counter.builder("vapi_usage_sync_runs")
        .description("Sync runs by outcome")
        .tag("status", outcome.status().code())
        .tag("error", outcome.error() == null ? "none" : outcome.error().code())
        .register(registry)
        .increment();
  }
}
