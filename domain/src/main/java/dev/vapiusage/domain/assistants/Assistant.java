package dev.vapiusage.domain.assistants;

import java.util.Objects;

/** An assistant of a Vapi account; {@code name} is null when it has none. */
public record Assistant(String id, String name) {
  public Assistant {
    Objects.requireNonNull(id, "id");
  }
}
