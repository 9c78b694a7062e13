package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.WebhookEndpoints;

class InMemoryWebhookEndpointsTest extends WebhookEndpointsContract {
  private final InMemoryWebhookEndpoints endpoints = new InMemoryWebhookEndpoints();

  @Override
  protected WebhookEndpoints endpoints() {
    return endpoints;
  }
}
