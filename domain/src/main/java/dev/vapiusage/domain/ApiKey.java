package dev.vapiusage.domain;

import java.util.Objects;

/** A Vapi private API key in clear; it only lives in memory and never prints itself. */
public final class ApiKey {
  public static final int MAX_LENGTH = 512;

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /**
   * Validates a key typed by a user: present, not blank, at most 512 characters, and, once the
   * whitespace a paste brings around it is stripped, only visible ASCII. The key travels in an HTTP
   * header, which cannot carry control characters, and a zero-width space, a byte-order mark or the
   * {@code …} of a key hint pasted with it would otherwise reach Vapi (or fail there).
   */
  public static ApiKey of(String value) {
    if (value == null || value.isBlank()) {
      throw UsageException.invalidRequest("apiKey is required");
    }
    if (value.length() > MAX_LENGTH) {
      throw UsageException.invalidRequest("apiKey is longer than " + MAX_LENGTH + " characters");
    }
    String key = value.strip();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        // The message names the rule, never the key or the offending character's neighbours.
        throw UsageException.invalidRequest(
            "apiKey may contain only visible ASCII characters (no spaces, invisible characters or \u2026)");
      }
    }
    return new ApiKey(key);
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
