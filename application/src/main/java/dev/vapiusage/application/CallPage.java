package dev.vapiusage.application;

import java.util.List;
import java.util.Optional;

/** One page of the calls list and the cursor of the next page (empty on the last page). */
public record CallPage(List<CallView> calls, Optional<String> nextCursor) {
  public CallPage {
    calls = List.copyOf(calls);
  }
}
