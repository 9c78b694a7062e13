package dev.vapiusage.application;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.port.AssistantDirectory;
import dev.vapiusage.domain.port.AssistantNames;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps a user's assistant names current after a sync (contract §9.1): Vapi's assistants are read
 * when a stored call names one not yet known, and otherwise at most once an hour, so a sync that
 * finds nothing new makes no request for names.
 */
public final class RefreshAssistantNames {
  /** Names are read again after this long even when every assistant is known. */
  public static final Duration MAX_AGE = Duration.ofHours(1);

  /** Never reads names: for syncs wired without a directory. */
  public static final RefreshAssistantNames NONE = new RefreshAssistantNames();

  private final boolean enabled;
  private final AssistantDirectory directory;
  private final AssistantNames names;
  private final Clock clock;

  public RefreshAssistantNames(AssistantDirectory directory, AssistantNames names, Clock clock) {
    this.enabled = true;
    this.directory = Objects.requireNonNull(directory, "directory");
    this.names = Objects.requireNonNull(names, "names");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private RefreshAssistantNames() {
    this.enabled = false;
    this.directory = key -> List.of();
    this.names = null;
    this.clock = null;
  }

  /**
   * Reads the names when needed, given the assistant ids of the calls a sync stored. A failure to
   * read them leaves the old names: they are labels, and the stored calls are what counts.
   */
  void afterSync(UserId userId, ApiKey key, Set<String> assistantIds) {
    if (!enabled) {
      return;
    }
    AssistantRoster roster = names.roster(userId);
    Instant now = clock.instant();
    boolean unknownSeen = !assistantIds.stream().allMatch(roster::knows);
    boolean old = roster.lastRead().map(at -> !at.plus(MAX_AGE).isAfter(now)).orElse(true);
    if (!unknownSeen && !old) {
      return;
    }
    try {
      names.replace(userId, read(key, roster, assistantIds, now));
    } catch (UsageException e) {
      // Vapi refused or failed: the next sync tries again, as its roster is still old.
    }
  }

  private AssistantRoster read(
      ApiKey key, AssistantRoster previous, Set<String> seen, Instant now) {
    Map<String, String> named = new HashMap<>();
    Set<String> known = new HashSet<>(previous.known());
    known.addAll(seen);
    for (Assistant assistant : directory.assistants(key)) {
      known.add(assistant.id());
      if (assistant.name() != null) {
        named.put(assistant.id(), assistant.name());
      }
    }
    return new AssistantRoster(named, known, now);
  }
}
