package dev.vapiusage.application;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.CallHistory;
import java.time.Clock;
import java.util.Objects;

/** One of a user's stored calls with its cost items; another user's call is not found. */
public final class GetCall {
  private final CallHistory history;
  private final AssistantNames names;
  private final Clock clock;

  public GetCall(CallHistory history, AssistantNames names, Clock clock) {
    this.history = Objects.requireNonNull(history, "history");
    this.names = Objects.requireNonNull(names, "names");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public CallView get(UserId userId, String callId) {
    Objects.requireNonNull(userId, "userId");
    return history
        .find(userId, Objects.requireNonNull(callId, "callId"))
        .map(call -> new CallViews(names.roster(userId), clock.instant()).of(call))
        .orElseThrow(() -> new UsageException(ErrorCode.NOT_FOUND, "No such call"));
  }
}
