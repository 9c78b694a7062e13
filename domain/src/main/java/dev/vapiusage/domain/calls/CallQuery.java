package dev.vapiusage.domain.calls;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import java.util.List;
import java.util.Objects;

/** Which stored calls a list or an export shows: a date range and exact-match filters. */
public record CallQuery(DateRange range, List<CallFilter> filters) {
  public CallQuery {
    Objects.requireNonNull(range, "range");
    filters = List.copyOf(filters);
    long distinct = filters.stream().map(CallFilter::field).distinct().count();
    if (distinct != filters.size()) {
      throw new IllegalArgumentException("Each field is filtered at most once");
    }
  }

  /** Whether the call belongs to the range and passes every filter. */
  public boolean matches(CallRecord call) {
    if (!range.contains(call.createdAt())) {
      return false;
    }
    for (CallFilter filter : filters) {
      if (!filter.matches(valueOf(call, filter.field()))) {
        return false;
      }
    }
    return true;
  }

  public static String valueOf(CallRecord call, CallField field) {
    return switch (field) {
      case ASSISTANT_ID -> call.assistantId();
      case TYPE -> call.type();
      case ENDED_REASON -> call.endedReason();
      case STATUS -> call.status();
    };
  }
}
