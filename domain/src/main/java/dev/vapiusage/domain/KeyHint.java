package dev.vapiusage.domain;

import java.util.Objects;

/** The shown part of a key: an ellipsis and its last four characters, e.g. {@code …9f3a}. */
public record KeyHint(String value) {
  private static final int SHOWN = 4;

  public KeyHint {
    Objects.requireNonNull(value, "value");
    if (value.length() > SHOWN + 1) {
      throw new IllegalArgumentException("A key hint shows at most " + SHOWN + " characters");
    }
  }

  static KeyHint of(String key) {
    return new KeyHint("…" + key.substring(Math.max(0, key.length() - SHOWN)));
  }

  @Override
  public String toString() {
    return value;
  }
}
