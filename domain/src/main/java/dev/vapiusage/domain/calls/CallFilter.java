package dev.vapiusage.domain.calls;

import java.util.Objects;

/**
 * An exact-match filter on one call field. A null {@code value} matches the calls without the field
 * (the contract's query value {@code null}).
 */
public record CallFilter(CallField field, String value) {
  public CallFilter {
    Objects.requireNonNull(field, "field");
  }

  /** Whether a call with this field value passes. */
  public boolean matches(String fieldValue) {
    return Objects.equals(value, fieldValue);
  }
}
