package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.DataVersions;
import dev.vapiusage.domain.testing.AssistantNamesContract;
import org.junit.jupiter.api.BeforeAll;

/** The AssistantNames contract on PostgreSQL. */
class PostgresAssistantNamesTest extends AssistantNamesContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected AssistantNames names() {
    return database.assistantNames();
  }

  @Override
  protected DataVersions versions() {
    return database.versions();
  }
}
