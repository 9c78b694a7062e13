package dev.vapiusage.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * One request a {@link VapiSimulator} received and what it answered; the query is decoded and the
 * {@code Authorization} header is never kept.
 *
 * @param results how many calls or assistants the answer listed, -1 when it listed none (an error,
 *     one call)
 */
public record RecordedRequest(
    String method,
    String path,
    Map<String, String> query,
    int status,
    int results,
    Instant receivedAt) {

  public RecordedRequest {
    query = Map.copyOf(query);
  }
}
