package dev.vapiusage.application;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.assistants.AssistantRoster;
import java.time.Instant;

/** Turns stored calls into views as of one moment, with one read of the user's names. */
final class CallViews {
  private final AssistantRoster roster;
  private final Instant now;

  CallViews(AssistantRoster roster, Instant now) {
    this.roster = roster;
    this.now = now;
  }

  CallView of(CallRecord call) {
    return new CallView(call, roster.nameOf(call.assistantId()), call.isFinal(now));
  }
}
