package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.UsageRepository;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Calls on PostgreSQL: {@link PostgresCallWriter} stores them ({@link PostgresPushWriter} the
 * pushed ones) and marks the days whose rollups they touch dirty, {@link UsageRollups} rebuilds
 * dirty days, {@link RollupReader} reads the rollups.
 *
 * <p>Aggregating reads the rollups; when a day the range needs is dirty, it first brings that
 * range's rollups up to date ({@link UsageRollups#bringUpToDate}, a write of derived data only: the
 * calls are never changed by a read) and reads again. Writers that keep the range dirty, and zones
 * whose midnights are not on quarter hours, are summed from the calls directly. Thread-safe.
 */
final class PostgresUsageRepository implements UsageRepository {
  private static final int ROLLUP_READ_ATTEMPTS = 3;

  private final Jdbi jdbi;
  private final Tables tables;
  private final boolean useRollups;
  private final PostgresCallWriter writer;
  private final PostgresPushWriter pushes;
  private final UsageRollups rollups;
  private final RollupReader reader;

  /** {@code useRollups = false} always sums the calls directly (tests compare both ways). */
  PostgresUsageRepository(Jdbi jdbi, JdbcDataVersions versions, Tables tables, boolean useRollups) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.useRollups = useRollups;
    this.rollups = new UsageRollups(jdbi, tables);
    this.writer = new PostgresCallWriter(jdbi, versions, tables, rollups);
    this.reader = new RollupReader(jdbi, tables);
    this.pushes = new PostgresPushWriter(jdbi, versions, tables, rollups, writer);
  }

  @Override
  public StoreResult store(UserId userId, List<CallRecord> calls) {
    return writer.store(userId, calls);
  }

  @Override
  public boolean storeIfNewer(UserId userId, CallRecord call) {
    return pushes.storeIfNewer(userId, call);
  }

  @Override
  public boolean storeStatus(UserId userId, CallRecord call, Instant at) {
    return pushes.storeStatus(userId, call, at);
  }

  @Override
  public UsageMetrics aggregate(UserId userId, DateRange range) {
    return Failures.translate("sum calls", () -> aggregateChecked(userId, range));
  }

  private UsageMetrics aggregateChecked(UserId userId, DateRange range) throws SQLException {
    DayBounds bounds = new DayBounds(range);
    if (useRollups && bounds.onQuarterHours()) {
      for (int attempt = 0; attempt < ROLLUP_READ_ATTEMPTS; attempt++) {
        Optional<UsageMetrics> metrics = reader.read(userId, range, bounds);
        if (metrics.isPresent()) {
          return metrics.get();
        }
        rollups.bringUpToDate(userId, bounds.firstUtcDate(), bounds.lastUtcDate());
      }
    }
    // Writers kept the rollups dirty (or the zone needs it): sum the calls, in one statement too.
    return jdbi.inTransaction(
        TransactionIsolationLevel.REPEATABLE_READ,
        handle ->
            RawAggregation.aggregate(
                handle.getConnection(), tables, Dialect.POSTGRESQL, userId, range));
  }
}
