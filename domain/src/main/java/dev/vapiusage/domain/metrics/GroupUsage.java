package dev.vapiusage.domain.metrics;

import java.util.Objects;

/**
 * The usage of the calls sharing one value of a field; {@code key} is null for calls without it.
 */
public record GroupUsage(String key, Figures figures) {
  public GroupUsage {
    Objects.requireNonNull(figures, "figures");
  }
}
