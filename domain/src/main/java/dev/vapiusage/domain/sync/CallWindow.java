package dev.vapiusage.domain.sync;

import java.time.Instant;
import java.util.Objects;

/** The half-open time window {@code [from, to)} of one of a call's timestamps. */
public record CallWindow(TimeField field, Instant from, Instant to) {
  public CallWindow {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("A window's start is before its end");
    }
  }

  public static CallWindow created(Instant from, Instant to) {
    return new CallWindow(TimeField.CREATED_AT, from, to);
  }

  public static CallWindow updated(Instant from, Instant to) {
    return new CallWindow(TimeField.UPDATED_AT, from, to);
  }

  public boolean contains(Instant instant) {
    return !instant.isBefore(from) && instant.isBefore(to);
  }
}
