package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.UsageRepository;

/** Storage and sums on the embedded H2 database. */
class H2UsageStorageTest extends UsageStorageTests {
  @Override
  protected UsageRepository repository() {
    return TestDatabases.sharedH2().usage();
  }
}
