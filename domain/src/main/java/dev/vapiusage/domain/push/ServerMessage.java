package dev.vapiusage.domain.push;

import dev.vapiusage.domain.CallRecord;
import java.time.Instant;
import java.util.Objects;

/** One of Vapi's server messages, as far as usage cares: a call report, a status, or neither. */
public sealed interface ServerMessage {

  /**
   * An {@code end-of-call-report}: the call with the report's cost, cost items, breakdown, ended
   * reason and times merged in. Its {@code updatedAt} is the call's, or the message's timestamp
   * where the call has none.
   */
  record CallReport(CallRecord call) implements ServerMessage {
    public CallReport {
      Objects.requireNonNull(call, "call");
    }
  }

  /**
   * A {@code status-update}: the call as the message names it (at least its id and creation time)
   * with the new status, and when that status was reported.
   */
  record StatusUpdate(CallRecord call, Instant at) implements ServerMessage {
    public StatusUpdate {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(at, "at");
    }
  }

  /** Any other message type: accepted and ignored. */
  record Ignored(String type) implements ServerMessage {}
}
