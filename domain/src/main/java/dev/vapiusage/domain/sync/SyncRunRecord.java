package dev.vapiusage.domain.sync;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A sync run as recorded: the run, the calls it had stored at its last renewal, and its outcome and
 * finish time once it ended.
 */
public record SyncRunRecord(
    SyncRun run, long callsSeenSoFar, SyncOutcome outcome, Instant finishedAt) {
  public SyncRunRecord {
    Objects.requireNonNull(run, "run");
    if ((outcome == null) != (finishedAt == null)) {
      throw new IllegalArgumentException("A finished run has an outcome and a finish time");
    }
    if (outcome != null) {
      callsSeenSoFar = outcome.callsSeen();
    }
  }

  public Optional<SyncOutcome> finished() {
    return Optional.ofNullable(outcome);
  }
}
