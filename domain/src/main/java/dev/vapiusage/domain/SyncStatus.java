package dev.vapiusage.domain;

import java.util.Locale;

/** The outcome of a user's latest sync run. */
public enum SyncStatus {
  RUNNING,
  COMPLETED,
  FAILED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SyncStatus fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
