package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.SyncLease;

class InMemorySyncLeaseTest extends SyncLeaseContract {
  private final InMemorySyncLease lease = new InMemorySyncLease();

  @Override
  protected SyncLease lease() {
    return lease;
  }
}
