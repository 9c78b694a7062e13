package dev.vapiusage.simulator;

import java.time.Instant;
import java.util.Objects;

/**
 * A saved assistant as {@code GET /assistant} lists it; {@code name} is null for one without a
 * name, which Vapi allows.
 */
public record SimulatedAssistant(String id, String name, Instant createdAt) {
  public SimulatedAssistant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
