package dev.vapiusage.domain.port;

import dev.vapiusage.domain.UserId;

/**
 * A number per user that changes whenever something stored for the user changes: its integration
 * (connect, disconnect, a sync's outcome) or its stored calls. A reader may keep what it computed
 * from them for as long as the number stays put. Where the data is shared by several processes, so
 * is the number. Implementations are thread-safe.
 */
public interface DataVersions {

  /** The user's version now: any number, but a different one after every change. */
  long current(UserId userId);
}
