package dev.vapiusage.domain.metrics;

import java.util.Objects;

/**
 * The usage of the calls sharing one value of a field; {@code key} is null for calls without it.
 * {@code name} is the value's display name where one is known (an assistant's name), else null.
 */
public record GroupUsage(String key, String name, Figures figures) {
  public GroupUsage {
    Objects.requireNonNull(figures, "figures");
  }

  public GroupUsage(String key, Figures figures) {
    this(key, null, figures);
  }
}
