package dev.vapiusage.application;

import java.util.Locale;
import java.util.Objects;

/** What an accepted server message was and what storing it did, for counting. */
public record AcceptedMessage(Type type, Outcome outcome) {

  /** The message types usage tells apart; every other type is {@link #OTHER}. */
  public enum Type {
    END_OF_CALL_REPORT,
    STATUS_UPDATE,
    OTHER;

    /** The type as a metric tag, e.g. {@code end-of-call-report}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Whether the message changed stored data. */
  public enum Outcome {
    /** The call or its status was stored. */
    STORED,
    /** A repeated or older message, or a status the call already had: nothing changed. */
    UNCHANGED,
    /** A type usage does not store. */
    IGNORED;

    /** The outcome as a metric tag, e.g. {@code stored}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public AcceptedMessage {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(outcome, "outcome");
  }
}
