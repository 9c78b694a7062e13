package dev.vapiusage.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/** The identity of an application user, as the host application or the token store names it. */
public record UserId(String value) {
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._@:+-]{1,128}");

  public UserId {
    Objects.requireNonNull(value, "value");
    if (!ALLOWED.matcher(value).matches()) {
      throw UsageException.invalidRequest(
          "A user id is 1 to 128 characters of letters, digits and . _ @ : + -");
    }
  }

  public static UserId of(String value) {
    return new UserId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
