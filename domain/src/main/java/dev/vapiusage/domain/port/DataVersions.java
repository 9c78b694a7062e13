package dev.vapiusage.domain.port;

import dev.vapiusage.domain.UserId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A number per user that changes whenever something stored for the user changes: its integration
 * (connect, disconnect, a sync's outcome) or its stored calls. A reader may keep what it computed
 * from them for as long as the number stays put. Where the data is shared by several processes, so
 * is the number. Implementations are thread-safe.
 */
public interface DataVersions {

  /** The user's version now: any number, but a different one after every change. */
  long current(UserId userId);

  /**
   * The versions of several users now, one entry per user, as one read where the store allows it (a
   * watcher asks for every user with an open page several times a second). The default reads them
   * one by one.
   */
  default Map<UserId, Long> current(Collection<UserId> userIds) {
    Map<UserId, Long> versions = new HashMap<>();
    for (UserId userId : userIds) {
      versions.put(userId, current(userId));
    }
    return versions;
  }
}
