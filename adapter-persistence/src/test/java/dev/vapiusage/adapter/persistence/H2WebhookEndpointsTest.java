package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.testing.WebhookEndpointsContract;
import org.junit.jupiter.api.BeforeAll;

/** The WebhookEndpoints contract on embedded H2. */
class H2WebhookEndpointsTest extends WebhookEndpointsContract {
  private static Database database;

  @BeforeAll
  static void openDatabase() {
    database = TestDatabases.sharedH2();
  }

  @Override
  protected WebhookEndpoints endpoints() {
    return database.webhookEndpoints();
  }
}
