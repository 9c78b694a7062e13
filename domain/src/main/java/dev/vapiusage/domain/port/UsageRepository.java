package dev.vapiusage.domain.port;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import java.time.Instant;
import java.util.List;

/**
 * Stores calls, one per user and call id, and sums them. Storing a call again replaces it in place
 * and counts as changed only when a stored field differs. Implementations are thread-safe.
 */
public interface UsageRepository {

  /** Stores a batch atomically: all of it or none of it. A batch holds each call id once. */
  StoreResult store(UserId userId, List<CallRecord> calls);

  /**
   * Stores a pushed call in one transaction unless a stored call with its id is as new or newer (by
   * {@code updatedAt}): a repeated or late message never overwrites newer data. Returns whether it
   * was stored.
   */
  boolean storeIfNewer(UserId userId, CallRecord call);

  /**
   * Stores a pushed status in one transaction: a call not stored yet is stored as given; a stored
   * one takes the status when {@code at} is later than its {@code updatedAt} and than the last
   * status stored this way, and keeps every other field. Returns whether anything changed.
   */
  boolean storeStatus(UserId userId, CallRecord call, Instant at);

  /** The metrics of the user's stored calls created in the range, by the contract's definitions. */
  UsageMetrics aggregate(UserId userId, DateRange range);
}
