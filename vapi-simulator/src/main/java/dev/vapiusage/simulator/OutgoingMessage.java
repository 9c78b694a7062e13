package dev.vapiusage.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One rendered server message, ready to sign and send: its type, the call it is about, the call's
 * status in it, its timestamp and its body. The body array is shared, not copied: do not change it.
 */
public record OutgoingMessage(
    String type, String callId, String status, Instant timestamp, byte[] body) {

  public OutgoingMessage {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(body, "body");
  }

  public boolean isReport() {
    return ServerMessages.END_OF_CALL_REPORT.equals(type);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "OutgoingMessage[" + type + ", call " + callId + ", " + status + "]";
  }
}
