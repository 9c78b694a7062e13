package dev.vapiusage.application;

import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.ServerMessageReader;
import dev.vapiusage.domain.push.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server message reader for this module's tests: each prepared message gets a unique body, and
 * reading that body gives the message back; any other body is not a server message.
 */
final class PreparedMessages implements ServerMessageReader {
  private final Map<String, ServerMessage> byBody = new ConcurrentHashMap<>();

  /** A body that reads as {@code message}. */
  byte[] body(ServerMessage message) {
    String body = "{\"message\":{\"id\":\"" + UUID.randomUUID() + "\"}}";
    byBody.put(body, message);
    return body.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public ServerMessage read(byte[] body) {
    ServerMessage message = byBody.get(new String(body, StandardCharsets.UTF_8));
    if (message == null) {
      throw UsageException.invalidRequest("The body is not one of Vapi's server messages");
    }
    return message;
  }
}
