package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.testing.CallHistoryContract;
import org.junit.jupiter.api.BeforeAll;

/** The CallHistory contract on embedded H2. */
class H2CallHistoryTest extends CallHistoryContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected UsageRepository usage() {
    return database.usage();
  }

  @Override
  protected CallHistory history() {
    return database.callHistory();
  }
}
