package dev.vapiusage.adapter.http;

import dev.vapiusage.application.AcceptedMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the webhook's requests: accepted messages by type and outcome ({@code
 * vapi_usage_webhook_messages_total}), refused ones by reason ({@code
 * vapi_usage_webhook_rejected_total}). Tag values come from fixed lists, never from a request.
 */
final class WebhookMeters {
  static final String MESSAGES = "vapi.usage.webhook.messages";
  static final String REJECTED = "vapi.usage.webhook.rejected";

  /** Every reason a request is refused for; each is shown from the start, zeros included. */
  static final String[] REASONS = {
    "invalid_signature", "stale_timestamp", "not_found", "too_large", "invalid_request"
  };

  /** Records nothing: for embedded routes without a registry. */
  static final WebhookMeters NONE = new WebhookMeters(null);

  private final MeterRegistry registry;

  WebhookMeters(MeterRegistry registry) {
    this.registry = registry;
    for (String reason : REASONS) {
      rejectedCounter(reason);
    }
  }

  void accepted(AcceptedMessage message) {
    if (registry == null) {
      return;
    }
    Counter.builder(MESSAGES)
        .description("Vapi server messages accepted at the webhook, by type and outcome")
        .tag("type", message.type().tag())
        .tag("outcome", message.outcome().tag())
        .register(registry)
        .increment();
  }

  /** {@code reason} is one of {@link #REASONS}. */
  void rejected(String reason) {
    Counter counter = rejectedCounter(reason);
    if (counter != null) {
      counter.increment();
    }
  }

  private Counter rejectedCounter(String reason) {
    if (registry == null) {
      return null;
    }
    return Counter.builder(REJECTED)
        .description("Requests to the webhook refused, by reason")
        .tag("reason", reason)
        .register(registry);
  }
}
