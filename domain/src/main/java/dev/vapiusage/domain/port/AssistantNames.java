package dev.vapiusage.domain.port;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.AssistantRoster;

/**
 * The stored names of each user's assistants. Replacing a roster that differs from the stored one
 * changes the user's data version, so kept views show new names. Implementations are thread-safe.
 */
public interface AssistantNames {

  /** The user's roster; {@link AssistantRoster#NEVER_READ} when none is stored. */
  AssistantRoster roster(UserId userId);

  /** Stores the user's roster in place of the old one. */
  void replace(UserId userId, AssistantRoster roster);

  /** Forgets the user's roster (on disconnect). */
  void delete(UserId userId);
}
