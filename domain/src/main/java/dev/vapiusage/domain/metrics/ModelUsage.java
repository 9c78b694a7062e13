package dev.vapiusage.domain.metrics;

import dev.vapiusage.domain.CostItem.ModelKey;
import java.util.Objects;

/** The usage of one {@code (component, provider, model)} of the calls' cost items. */
public record ModelUsage(ModelKey key, ModelFigures figures) {
  public ModelUsage {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(figures, "figures");
  }
}
