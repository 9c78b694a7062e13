package dev.vapiusage.application;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.StoreResult;
import dev.vapiusage.domain.SyncState;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.port.SyncCursors;
import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.port.UsageRepository;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import dev.vapiusage.domain.sync.TimeField;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Syncs a user's Vapi calls into the usage repository (contract §7). A range sync stores every call
 * created in the range; an incremental one stores every call changed since the cursor minus the
 * look-back, and moves the cursor only after the part of the window before it is stored. Runs of
 * one user never overlap (the {@link SyncLease}), and a run that stops part-way leaves stored calls
 * correct: storing is idempotent, so the next run completes the work.
 */
public final class SyncUsage {
  private final IntegrationRepository integrations;
  private final KeyVault vault;
  private final MetricsSource vapi;
  private final UsageRepository usage;
  private final SyncLease lease;
  private final SyncCursors cursors;
  private final Clock clock;
  private final SyncSettings settings;
  private final SyncListener listener;
  private final Executor storers;
  private final RefreshAssistantNames assistantNames;

  /** Stores each listing's calls on a new daemon thread named {@code vapi-usage-store-N}. */
  public SyncUsage(
      IntegrationRepository integrations,
      KeyVault vault,
      MetricsSource vapi,
      UsageRepository usage,
      SyncLease lease,
      SyncCursors cursors,
      Clock clock,
      SyncSettings settings,
      SyncListener listener) {
    this(
        integrations,
        vault,
        vapi,
        usage,
        lease,
        cursors,
        clock,
        settings,
        listener,
        defaultStorers(),
        RefreshAssistantNames.NONE);
  }

  /**
   * Storing threads when the embedder gives no executor: daemons named {@code vapi-usage-store-N}.
   */
  public static Executor defaultStorers() {
    return DaemonThreads.named("vapi-usage-store");
  }

  /**
   * @param storers runs one task per listed chunk, for as long as the chunk is listed, that stores
   *     its calls while the next page is read; it must not run the task on the calling thread
   * @param assistantNames reads the account's assistant names after a completed run when needed
   */
  public SyncUsage(
      IntegrationRepository integrations,
      KeyVault vault,
      MetricsSource vapi,
      UsageRepository usage,
      SyncLease lease,
      SyncCursors cursors,
      Clock clock,
      SyncSettings settings,
      SyncListener listener,
      Executor storers,
      RefreshAssistantNames assistantNames) {
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.vapi = Objects.requireNonNull(vapi, "vapi");
    this.usage = Objects.requireNonNull(usage, "usage");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.cursors = Objects.requireNonNull(cursors, "cursors");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.storers = Objects.requireNonNull(storers, "storers");
    this.assistantNames = Objects.requireNonNull(assistantNames, "assistantNames");
  }

  public SyncResult sync(SyncCommand command) {
    UserId userId = command.userId();
    ConnectedIntegration integration = ConnectedKey.requireConnected(integrations, userId);
    Instant now = clock.instant();
    Plan plan = plan(command, now);
    SyncRun run =
        lease
            .tryStart(userId, plan.kind, plan.window, now, settings.lease())
            .orElseThrow(UsageException::syncInProgress);
    integrations.saveSync(userId, integration.sync().running(), now);
    Progress progress = new Progress(run);
    try {
      ApiKey key = ConnectedKey.open(vault, integration);
      for (CallWindow chunk : plan.chunks(settings)) {
        StoreBehind storeBehind = new StoreBehind(storers, progress::store);
        try {
          vapi.stream(key, chunk, storeBehind);
        } catch (RuntimeException | Error e) {
          storeBehind.abandon(e);
          throw e;
        }
        // The cursor moves only once every call of the chunk is stored.
        storeBehind.finish();
        if (plan.movesCursor) {
          cursors.advanceCursor(userId, chunk.to());
        }
      }
      assistantNames.afterSync(userId, key, progress.assistantIds);
    } catch (RuntimeException e) {
      throw fail(run, progress, e);
    }
    Instant finishedAt = clock.instant();
    SyncOutcome outcome = SyncOutcome.completed(progress.seen, progress.changed);
    lease.finish(run, outcome, finishedAt);
    listener.finished(userId, outcome);
    integrations.saveSync(
        userId, currentSync(userId, integration).completed(finishedAt), finishedAt);
    return new SyncResult(progress.seen, plan.startDate, plan.endDate, finishedAt);
  }

  private Plan plan(SyncCommand command, Instant now) {
    if (command.range().isPresent()) {
      var range = command.range().get();
      return new Plan(
          SyncKind.RANGE,
          CallWindow.created(range.startInstant(), range.endExclusive()),
          false,
          range.start(),
          range.end());
    }
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    var cursor = cursors.cursor(command.userId());
    if (cursor.isEmpty()) {
      // The first sync covers the current and the previous calendar month (in UTC).
      LocalDate first = today.withDayOfMonth(1).minusMonths(1);
      return new Plan(
          SyncKind.INCREMENTAL,
          CallWindow.created(first.atStartOfDay(ZoneOffset.UTC).toInstant(), now),
          true,
          first,
          today);
    }
    Instant from = cursor.get().minus(settings.lookback());
    Instant to = now.isAfter(from) ? now : from.plusMillis(1);
    return new Plan(
        SyncKind.INCREMENTAL,
        CallWindow.updated(from, to),
        true,
        LocalDate.ofInstant(from, ZoneOffset.UTC),
        today);
  }

  private UsageException fail(SyncRun run, Progress progress, RuntimeException cause) {
    ErrorCode code =
        cause instanceof UsageException
                && ((UsageException) cause).code() == ErrorCode.INVALID_API_KEY
            ? ErrorCode.INVALID_API_KEY
            : ErrorCode.SYNC_FAILED;
    Instant now = clock.instant();
    SyncOutcome outcome = SyncOutcome.failed(progress.seen, progress.changed, code);
    listener.finished(run.userId(), outcome);
    try {
      lease.finish(run, outcome, now);
      integrations.saveSync(run.userId(), currentSync(run.userId(), null).failed(code), now);
    } catch (RuntimeException recordingFailed) {
      // The lease expires on its own; the original failure is what the caller needs to hear.
      cause.addSuppressed(recordingFailed);
    }
    if (code == ErrorCode.INVALID_API_KEY) {
      return (UsageException) cause;
    }
    String detail =
        cause instanceof UsageException ? cause.getMessage() : "an unexpected error occurred";
    return UsageException.syncFailed(detail, cause);
  }

  private SyncState currentSync(UserId userId, Integration fallback) {
    return integrations
        .find(userId)
        .map(Integration::sync)
        .orElseGet(() -> fallback == null ? SyncState.never() : fallback.sync());
  }

  /** The counters of one run and the per-batch work: store, renew the lease, report. */
  private final class Progress {
    private final SyncRun run;
    private long seen;
    private long changed;
    private Instant reached;
    private final Set<String> assistantIds = ConcurrentHashMap.newKeySet();

    Progress(SyncRun run) {
      this.run = run;
    }

    void store(List<CallRecord> batch) {
      List<CallRecord> distinct = distinctById(batch);
      StoreResult result = usage.store(run.userId(), distinct);
      seen += result.received();
      changed += result.changed();
      for (CallRecord call : distinct) {
        if (call.assistantId() != null) {
          assistantIds.add(call.assistantId());
        }
        Instant at =
            run.window().field() == TimeField.CREATED_AT ? call.createdAt() : call.updatedAt();
        if (reached == null || at.isAfter(reached)) {
          reached = at;
        }
      }
      if (!lease.renew(run, seen, changed, clock.instant(), settings.lease())) {
        throw new UsageException(ErrorCode.SYNC_FAILED, "the sync lost its lease to another run");
      }
      listener.progress(run.userId(), seen, changed, reached);
    }
  }

  /** A batch holds each id once by the port's promise; keep the latest version if it does not. */
  private static List<CallRecord> distinctById(List<CallRecord> batch) {
    Map<String, CallRecord> byId = new LinkedHashMap<>(batch.size() * 2);
    for (CallRecord call : batch) {
      byId.merge(call.id(), call, (a, b) -> b.updatedAt().isBefore(a.updatedAt()) ? a : b);
    }
    return byId.size() == batch.size() ? batch : new ArrayList<>(byId.values());
  }

  /** What one run reads, and whether it moves the incremental cursor. */
  private static final class Plan {
    final SyncKind kind;
    final CallWindow window;
    final boolean movesCursor;
    final LocalDate startDate;
    final LocalDate endDate;

    Plan(
        SyncKind kind,
        CallWindow window,
        boolean movesCursor,
        LocalDate startDate,
        LocalDate endDate) {
      this.kind = kind;
      this.window = window;
      this.movesCursor = movesCursor;
      this.startDate = startDate;
      this.endDate = endDate;
    }

    /**
     * An incremental window is read in chunks so the cursor moves as it goes; a first sync or a
     * range is one window (the cursor follows updates, not creation).
     */
    List<CallWindow> chunks(SyncSettings settings) {
      if (window.field() != TimeField.UPDATED_AT) {
        return List.of(window);
      }
      List<CallWindow> chunks = new ArrayList<>();
      Instant from = window.from();
      while (from.isBefore(window.to())) {
        Instant to = from.plus(settings.chunk());
        if (to.isAfter(window.to())) {
          to = window.to();
        }
        chunks.add(new CallWindow(window.field(), from, to));
        from = to;
      }
      return chunks;
    }
  }
}
