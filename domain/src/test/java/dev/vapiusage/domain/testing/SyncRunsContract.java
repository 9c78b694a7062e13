package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.port.SyncRuns;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import dev.vapiusage.domain.sync.SyncRunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SyncRuns} log shows of the runs its {@link SyncLease} logged; subclasses supply
 * both, sharing one store.
 */
public abstract class SyncRunsContract {
  protected static final Instant T0 = Instant.parse("2024-02-01T10:00:00.250Z");
  protected static final Duration LEASE = Duration.ofMinutes(2);
  protected static final CallWindow WINDOW = CallWindow.created(T0.minusSeconds(3600), T0);

  protected abstract SyncLease lease();

  protected abstract SyncRuns runs();

  private Optional<SyncRun> start(UserId user, Instant now) {
    return lease().tryStart(user, SyncKind.RANGE, WINDOW, now, LEASE);
  }

  @Test
  void givenNoRun_history_isEmpty() {
    assertThat(runs().history(anyUserId(), 10)).isEmpty();
  }

  @Test
  void finish_recordsTheOutcomeInTheHistory() {
    UserId user = anyUserId();
    SyncRun first = start(user, T0).orElseThrow();
    lease().finish(first, SyncOutcome.completed(10, 4), T0.plusSeconds(1));
    SyncRun second = start(user, T0.plusSeconds(2)).orElseThrow();
    lease().finish(second, SyncOutcome.failed(1, 0, ErrorCode.INVALID_API_KEY), T0.plusSeconds(3));

    List<SyncRunRecord> history = runs().history(user, 10);
    assertThat(history).hasSize(2);
    assertThat(history.get(0).run().runId()).isEqualTo(second.runId());
    assertThat(history.get(0).outcome())
        .isEqualTo(SyncOutcome.failed(1, 0, ErrorCode.INVALID_API_KEY));
    assertThat(history.get(0).finishedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(history.get(1).outcome().status()).isEqualTo(SyncStatus.COMPLETED);
    assertThat(history.get(1).outcome().callsSeen()).isEqualTo(10);
    assertThat(history.get(1).outcome().callsChanged()).isEqualTo(4);
  }

  @Test
  void givenRunningRun_historyShowsItUnfinishedWithItsProgress() {
    UserId user = anyUserId();
    SyncRun run = start(user, T0).orElseThrow();
    assertThat(runs().history(user, 10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.finished()).isEmpty();
              assertThat(r.callsSeenSoFar()).isZero();
            });
    lease().renew(run, 1234, 56, T0.plusSeconds(1), LEASE);
    assertThat(runs().history(user, 10))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.finished()).isEmpty();
              assertThat(r.callsSeenSoFar()).isEqualTo(1234);
            });
  }
}
