package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.port.SyncRuns;

class InMemorySyncRunsTest extends SyncRunsContract {
  private final InMemorySyncRuns runs = new InMemorySyncRuns();
  private final InMemorySyncLease lease = new InMemorySyncLease(runs);

  @Override
  protected SyncLease lease() {
    return lease;
  }

  @Override
  protected SyncRuns runs() {
    return runs;
  }
}
