package dev.vapiusage.domain.port;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.util.List;

/**
 * Stores calls, one per user and call id, and sums them. Storing a call again replaces it in place
 * and counts as changed only when a stored field differs. Implementations are thread-safe.
 */
public interface UsageRepository {

  /** Stores a batch atomically: all of it or none of it. A batch holds each call id once. */
  StoreResult store(UserId userId, List<CallRecord> calls);

  /** The metrics of the user's stored calls created in the range, by the contract's definitions. */
  UsageMetrics aggregate(UserId userId, DateRange range);
}
