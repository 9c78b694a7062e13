package dev.vapiusage.application;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A completed sync: the distinct calls received from Vapi and stored, the dates it covered, and
 * when the latest completed sync finished. A sync that does not complete throws instead, so there
 * is no status to carry: a result is always a completed sync.
 */
public record SyncResult(
    long syncedCalls, LocalDate startDate, LocalDate endDate, Instant lastSyncedAt) {
  public SyncResult {
    Objects.requireNonNull(startDate, "startDate");
    Objects.requireNonNull(endDate, "endDate");
  }
}
