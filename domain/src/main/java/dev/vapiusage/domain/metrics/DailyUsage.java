package dev.vapiusage.domain.metrics;

import java.time.LocalDate;
import java.util.Objects;

/** The usage of the calls created on one date of a range. */
public record DailyUsage(LocalDate date, Figures figures) {
  public DailyUsage {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(figures, "figures");
  }
}
