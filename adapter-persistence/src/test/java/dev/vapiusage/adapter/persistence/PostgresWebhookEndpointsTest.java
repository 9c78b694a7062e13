package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.testing.WebhookEndpointsContract;
import org.junit.jupiter.api.BeforeAll;

/** The WebhookEndpoints contract on PostgreSQL. */
class PostgresWebhookEndpointsTest extends WebhookEndpointsContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedPostgres();
  }

  @Override
  protected WebhookEndpoints endpoints() {
    return database.webhookEndpoints();
  }
}
