package dev.vapiusage.application;

import dev.vapiusage.domain.SyncStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A completed sync: the distinct calls received from Vapi and stored, the dates it covered, and
 * when the latest completed sync finished.
 */
public record SyncResult(SyncStatus status, long syncedCalls, LocalDate startDate, LocalDate endDate, Instant lastSyncedAt) {
  public SyncResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startDate, "startDate");
    Objects.requireNonNull(endDate, "endDate");
  }
}
