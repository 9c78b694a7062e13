package dev.vapiusage.application;

import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import java.util.Objects;

/** A user's question about the usage of a date range. */
public record MetricsQuery(UserId userId, DateRange range) {
  public MetricsQuery {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(range, "range");
  }
}
