package dev.vapiusage.application;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.metrics.UsageMetrics;
import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.DataVersions;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.UsageRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's metrics, computed from stored calls. Viewing syncs first when the last sync is
 * older than {@code staleAfter} (zero: views never sync and nothing counts as stale). A sync that
 * cannot run or fails does not hide what is stored: the view answers with the stored figures and
 * the integration status tells what went wrong.
 *
 * <p>Given {@link DataVersions}, a view keeps what it read for its user and range, and the next
 * view answers from it when the user's data version is still the same: one version read instead of
 * reading the integration and summing the calls. A change by any process changes the version, so a
 * kept answer is never older than the data. Stuck calls become stuck as time passes, so a kept
 * answer is also read again once it is older than {@link #KEPT_AT_MOST}.
 */
public final class GetDashboardUsage {
  /** Views kept at most; each is a few KB (a 366-day range a few tens). */
  private static final int MAX_KEPT = 1_000;

  /** A kept view older than this is read again, for its count of stuck calls. */
  static final Duration KEPT_AT_MOST = Duration.ofMinutes(1);

  private final IntegrationRepository integrations;
  private final UsageRepository usage;
  private final SyncUsage sync;
  private final Clock clock;
  private final Duration staleAfter;
  private final DataVersions versions;
  private final AssistantNames names;
  private final CallHistory history;
  private final Map<Key, Kept> kept = new ConcurrentHashMap<>();

  private record Key(UserId userId, DateRange range) {}

  /** What a view read, at the data version read before it. */
  private record Kept(
      long version, Instant readAt, Optional<Integration> integration, UsageMetrics metrics) {}

  /** Without data versions: every view reads the integration and sums the calls. */
  public GetDashboardUsage(
      IntegrationRepository integrations,
      UsageRepository usage,
      SyncUsage sync,
      Clock clock,
      Duration staleAfter) {
    this(integrations, usage, sync, clock, staleAfter, null);
  }

  public GetDashboardUsage(
      IntegrationRepository integrations,
      UsageRepository usage,
      SyncUsage sync,
      Clock clock,
      Duration staleAfter,
      DataVersions versions) {
    this(integrations, usage, sync, clock, staleAfter, versions, null, null);
  }

  /**
   * With the assistants' names for {@code byAssistant} and the count of stuck calls; {@code
   * versions} may be null (every view reads), as may both of {@code names} and {@code history} (no
   * names, no stuck calls counted).
   */
  public GetDashboardUsage(
      IntegrationRepository integrations,
      UsageRepository usage,
      SyncUsage sync,
      Clock clock,
      Duration staleAfter,
      DataVersions versions,
      AssistantNames names,
      CallHistory history) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.sync = Objects.requireNonNull(sync, "sync");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    this.versions = versions;
    this.names = names;
    this.history = history;
    if ((names == null) != (history == null)) {
      throw new IllegalArgumentException("names and history come together");
    }
    if (staleAfter.isNegative()) {
      throw new IllegalArgumentException("staleAfter is not negative");
    }
  }

  public DashboardUsage usage(MetricsQuery query) {
    if (versions == null) {
      Kept read = read(query, 0);
      return answer(read);
    }
    Key key = new Key(query.userId(), query.range());
    // Read before the data: data read afterwards is at least this new, so what is kept under a
    // version is never older than that version's data.
    long version = versions.current(query.userId());
    Kept previous = kept.get(key);
    if (previous != null
        && previous.version() == version
        && previous.readAt().plus(KEPT_AT_MOST).isAfter(clock.instant())
        && !needsSync(previous.integration())) {
      return answer(previous);
    }
    Kept read = read(query, version);
    if (kept.size() >= MAX_KEPT) {
      // Views are cheap to read again: starting over beats tracking which is least used.
      kept.clear();
    }
    kept.put(key, read);
    return answer(read);
  }

  private Kept read(MetricsQuery query, long version) {
    Optional<Integration> integration = integrations.find(query.userId());
    if (needsSync(integration)) {
      try {
        sync.sync(SyncCommand.incremental(query.userId()));
      } catch (UsageException e) {
        // Recorded in the run history and the integration's last sync status.
      }
      integration = integrations.find(query.userId());
    }
    Instant now = clock.instant();
    UsageMetrics metrics = usage.aggregate(query.userId(), query.range());
    if (names != null) {
      metrics =
          metrics
              .withAssistantNames(names.roster(query.userId()).names())
              .withStuckCalls(
                  history.countStuck(
                      query.userId(), query.range(), now.minus(CallRecord.STUCK_AFTER)));
    }
    return new Kept(version, now, integration, metrics);
  }

  private DashboardUsage answer(Kept read) {
    Instant lastSyncedAt = read.integration().flatMap(i -> i.sync().lastSyncedAt()).orElse(null);
    return new DashboardUsage(
        read.metrics(), lastSyncedAt, read.integration().map(this::isStale).orElse(false));
  }

  private boolean needsSync(Optional<Integration> integration) {
    return integration.isPresent() && integration.get().isConnected() && isStale(integration.get());
  }

  private boolean isStale(Integration integration) {
    if (staleAfter.isZero()) {
      return false;
    }
    return integration
        .sync()
        .lastSyncedAt()
        .map(at -> Duration.between(at, clock.instant()).compareTo(staleAfter) > 0)
        .orElse(true);
  }
}
