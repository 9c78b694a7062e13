package dev.vapiusage.domain.sync;

import dev.vapiusage.domain.UserId;
import java.time.Instant;
import java.util.Objects;

/** A started sync run that holds its user's sync lease until it finishes. */
public record SyncRun(
    String runId, UserId userId, SyncKind kind, CallWindow window, Instant startedAt) {
  public SyncRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(startedAt, "startedAt");
  }
}
