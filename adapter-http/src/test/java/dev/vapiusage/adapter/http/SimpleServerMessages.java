package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.ServerMessageReader;
import dev.vapiusage.domain.push.ServerMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A server message reader for this module's tests, reading a small shape of Vapi's messages: {@code
 * {"message": {"type", "timestamp" (ms), "status", "cost", "startedAt", "endedAt", "endedReason",
 * "call": {"id", "createdAt", "updatedAt"}}}}. The real reader lives in adapter-vapi.
 */
final class SimpleServerMessages implements ServerMessageReader {

  @Override
  public ServerMessage read(byte[] body) {
    JsonNode message;
    try {
      message = Json.parse(body).path("message");
    } catch (IOException | RuntimeException e) {
      throw notAMessage();
    }
    String type = message.path("type").asText(null);
    if (type == null) {
      throw notAMessage();
    }
    JsonNode call = message.path("call");
    if (!type.equals("end-of-call-report") && !type.equals("status-update")) {
      return new ServerMessage.Ignored(type);
    }
    if (!call.path("id").isTextual() || !call.path("createdAt").isTextual()) {
      throw notAMessage();
    }
    Instant at = Instant.ofEpochMilli(message.path("timestamp").asLong(0));
    Instant created = Instant.parse(call.get("createdAt").textValue());
    Instant updated =
        call.path("updatedAt").isTextual() ? Instant.parse(call.get("updatedAt").textValue()) : at;
    if (type.equals("status-update")) {
      CallRecord record =
          new CallRecord(
              call.get("id").textValue(),
              "org-1",
              created,
              created,
              null,
              null,
              null,
              message.path("status").asText(null),
              null,
              null,
              null,
              null);
      return new ServerMessage.StatusUpdate(record, at);
    }
    return new ServerMessage.CallReport(
        new CallRecord(
            call.get("id").textValue(),
            "org-1",
            created,
            updated,
            instant(message.path("startedAt")),
            instant(message.path("endedAt")),
            "webCall",
            "ended",
            message.path("endedReason").asText(null),
            null,
            message.path("cost").isNumber() ? message.get("cost").decimalValue() : BigDecimal.ZERO,
            null));
  }

  private static Instant instant(JsonNode node) {
    return node.isTextual() ? Instant.parse(node.textValue()) : null;
  }

  private static UsageException notAMessage() {
    return UsageException.invalidRequest("The body is not one of Vapi's server messages");
  }
}
