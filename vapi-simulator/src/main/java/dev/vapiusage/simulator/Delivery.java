package dev.vapiusage.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * One delivery a {@link Courier} made: which message, what the server answered ({@code httpStatus}
 * 0 when it gave no answer, with {@code error} saying why), when it was sent and how long it took.
 */
public record Delivery(
    String type,
    String callId,
    String callStatus,
    int httpStatus,
    Instant sentAt,
    Duration took,
    String error) {

  public boolean accepted() {
    return httpStatus >= 200 && httpStatus < 300;
  }

  public boolean isReport() {
    return ServerMessages.END_OF_CALL_REPORT.equals(type);
  }
}
