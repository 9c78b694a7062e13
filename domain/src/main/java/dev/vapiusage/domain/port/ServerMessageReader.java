package dev.vapiusage.domain.port;

import dev.vapiusage.domain.push.ServerMessage;

/**
 * Reads the body of one of Vapi's server messages. A body that is not a JSON object with a {@code
 * message.type}, or a call report or status update without a usable call, fails with {@code
 * invalid_request}. Implementations are thread-safe.
 */
public interface ServerMessageReader {
  ServerMessage read(byte[] body);
}
