package dev.vapiusage.domain.assistants;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What is known of a user's assistants as of the last read from Vapi: the names of the named ones,
 * and every id known then, whether Vapi listed it or a call named it and Vapi no longer had it (a
 * deleted assistant stays known, without a name).
 */
public record AssistantRoster(Map<String, String> names, Set<String> known, Instant readAt) {

  public static final AssistantRoster NEVER_READ = new AssistantRoster(Map.of(), Set.of(), null);

  public AssistantRoster {
    names = Map.copyOf(names);
    known = Set.copyOf(known);
  }

  public boolean knows(String assistantId) {
    return known.contains(assistantId);
  }

  public Optional<Instant> lastRead() {
    return Optional.ofNullable(readAt);
  }

  /** The assistant's name, or null when it is unknown, deleted or unnamed. */
  public String nameOf(String assistantId) {
    return assistantId == null ? null : names.get(assistantId);
  }
}
