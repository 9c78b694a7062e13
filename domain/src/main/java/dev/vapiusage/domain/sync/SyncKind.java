package dev.vapiusage.domain.sync;

import java.util.Locale;

/** A range sync re-reads the calls created in given dates; an incremental one follows changes. */
public enum SyncKind {
  RANGE,
  INCREMENTAL;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
