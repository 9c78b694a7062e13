package dev.vapiusage.domain.port;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.calls.CallQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a user's stored calls one by one, in the list order of {@link CallPosition#LIST_ORDER}.
 * Implementations are thread-safe.
 */
public interface CallHistory {

  /**
   * Up to {@code limit} calls matching the query, in list order, starting after {@code after} (from
   * the first when empty). The calls carry no cost items.
   */
  List<CallRecord> page(UserId userId, CallQuery query, Optional<CallPosition> after, int limit);

  /** One stored call with its cost items; empty for an unknown id or another user's call. */
  Optional<CallRecord> find(UserId userId, String callId);

  /**
   * Hands every call matching the query to {@code each}, in list order, without holding them all in
   * memory. The calls carry no cost items.
   */
  void forEach(UserId userId, CallQuery query, Consumer<CallRecord> each);

  /** How many of the range's calls are queued or in progress since before {@code createdBefore}. */
  long countStuck(UserId userId, DateRange range, Instant createdBefore);
}
