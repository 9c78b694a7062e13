package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.SyncCursors;

class InMemorySyncCursorsTest extends SyncCursorsContract {
  private final InMemorySyncCursors cursors = new InMemorySyncCursors();

  @Override
  protected SyncCursors cursors() {
    return cursors;
  }
}
