package dev.vapiusage.domain.port;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.util.List;

/**
 * The log of sync runs, read-only here: runs are logged by the {@link SyncLease} they hold, so that
 * a run is never logged without it. Thread-safe.
 */
public interface SyncRuns {

  /** The user's runs, newest first; a running one shows its progress so far. */
  List<SyncRunRecord> history(UserId userId, int limit);
}
