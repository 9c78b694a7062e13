package dev.vapiusage.application;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.SigningKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of a user's stored calls, newest first (contract §9.1). Pages follow each other by
 * position, not offset, so following the cursors returns every call of the range exactly once even
 * while syncs store calls.
 */
public final class ListCalls {
  private final CallHistory history;
  private final AssistantNames names;
  private final CallCursors cursors;
  private final Clock clock;

  public ListCalls(CallHistory history, AssistantNames names, SigningKeys keys, Clock clock) {
    this.history = Objects.requireNonNull(history, "history");
    this.names = Objects.requireNonNull(names, "names");
    this.cursors = new CallCursors(Objects.requireNonNull(keys, "keys"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public CallPage list(ListCallsQuery request) {
    Optional<CallPosition> after =
        request.cursor().map(c -> cursors.open(request.userId(), request.query(), c));
    // One more than asked tells whether a next page exists without an empty last page.
    List<CallRecord> found =
        history.page(request.userId(), request.query(), after, request.limit() + 1);
    boolean more = found.size() > request.limit();
    List<CallRecord> page = more ? found.subList(0, request.limit()) : found;
    CallViews views = new CallViews(names.roster(request.userId()), clock.instant());
    List<CallView> calls = new ArrayList<>(page.size());
    for (CallRecord call : page) {
      calls.add(views.of(call));
    }
    Optional<String> next = Optional.empty();
    if (more) {
      CallRecord last = page.get(page.size() - 1);
      next =
          Optional.of(
              cursors.issue(
                  request.userId(),
                  request.query(),
                  new CallPosition(last.createdAt(), last.id())));
    }
    return new CallPage(calls, next);
  }
}
