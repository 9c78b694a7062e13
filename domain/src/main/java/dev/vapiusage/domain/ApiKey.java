package dev.vapiusage.domain;

import java.util.Objects;

/** A Vapi private API key in clear; it only lives in memory and never prints itself. */
public final class ApiKey {
  public static final int MAX_LENGTH = 512;

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /** Validates a key typed by a user: present, not blank, at most 512 characters. */
  public static ApiKey of(String value) {
    if (value == null || value.isBlank()) {
      throw UsageException.invalidRequest("apiKey is required");
    }
    if (value.length() > MAX_LENGTH) {
      throw UsageException.invalidRequest("apiKey is longer than " + MAX_LENGTH + " characters");
    }
    return new ApiKey(value.strip());
  }

  /** The secret itself, for the adapter that sends it to Vapi or seals it. */
  public String reveal() {
    return value;
  }

  /** The last four characters, the only part of a key ever shown. */
  public KeyHint hint() {
    return KeyHint.of(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKey && ((ApiKey) other).value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return "ApiKey[" + hint() + "]";
  }
}
