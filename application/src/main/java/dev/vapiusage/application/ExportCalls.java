package dev.vapiusage.application;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.CallHistory;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Every stored call of a query, in the list's order, handed over one at a time so an export of any
 * size runs in flat memory (contract §9.2).
 */
public final class ExportCalls {
  private final CallHistory history;
  private final AssistantNames names;
  private final Clock clock;

  public ExportCalls(CallHistory history, AssistantNames names, Clock clock) {
    this.history = Objects.requireNonNull(history, "history");
    this.names = Objects.requireNonNull(names, "names");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public void export(UserId userId, CallQuery query, Consumer<CallView> each) {
    CallViews views = new CallViews(names.roster(userId), clock.instant());
    history.forEach(userId, query, call -> each.accept(views.of(call)));
  }
}
