package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncRunRepository;
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

/** What every {@link SyncRunRepository} does; subclasses supply the implementation. */
public abstract class SyncRunRepositoryContract {
  protected static final Instant T0 = Instant.parse("2024-02-01T10:00:00.250Z");
  protected static final Duration LEASE = Duration.ofMinutes(2);
  protected static final CallWindow WINDOW = CallWindow.created(T0.minusSeconds(3600), T0);

  protected abstract SyncRunRepository repository();

  private Optional<SyncRun> start(UserId user, Instant now) {
    return repository().tryStart(user, SyncKind.RANGE, WINDOW, now, LEASE);
  }

  @Test
  void givenNoRun_tryStart_startsOne() {
    UserId user = anyUserId();
    SyncRun run = start(user, T0).orElseThrow();
    assertThat(run.userId()).isEqualTo(user);
    assertThat(run.window()).isEqualTo(WINDOW);
    assertThat(run.kind()).isEqualTo(SyncKind.RANGE);
  }

  @Test
  void givenRunningRun_tryStart_isRefused() {
    UserId user = anyUserId();
    start(user, T0).orElseThrow();
    assertThat(start(user, T0.plusSeconds(1))).isEmpty();
  }

  @Test
  void givenRunningRunOfAnotherUser_tryStart_starts() {
    start(anyUserId(), T0).orElseThrow();
    assertThat(start(anyUserId(), T0)).isPresent();
  }

  @Test
  void givenFinishedRun_tryStart_startsAgain() {
    UserId user = anyUserId();
    SyncRun run = start(user, T0).orElseThrow();
    repository().finish(run, SyncOutcome.completed(3, 2), T0.plusSeconds(1));
    assertThat(start(user, T0.plusSeconds(2))).isPresent();
  }

  @Test
  void givenExpiredLease_tryStart_takesOverAndTheOldRunCannotRenew() {
    UserId user = anyUserId();
    SyncRun crashed = start(user, T0).orElseThrow();
    Instant later = T0.plus(LEASE).plusSeconds(1);
    SyncRun takeover = start(user, later).orElseThrow();

    assertThat(repository().renew(crashed, 5, 5, later, LEASE)).isFalse();
    assertThat(repository().renew(takeover, 0, 0, later, LEASE)).isTrue();
  }

  @Test
  void renew_keepsOthersOutBeyondTheFirstLease() {
    UserId user = anyUserId();
    SyncRun run = start(user, T0).orElseThrow();
    assertThat(repository().renew(run, 10, 3, T0.plus(LEASE).minusSeconds(1), LEASE)).isTrue();
    assertThat(start(user, T0.plus(LEASE).plusSeconds(1))).isEmpty();
  }

  @Test
  void finish_recordsTheOutcomeInTheHistory() {
    UserId user = anyUserId();
    SyncRun first = start(user, T0).orElseThrow();
    repository().finish(first, SyncOutcome.completed(10, 4), T0.plusSeconds(1));
    SyncRun second = start(user, T0.plusSeconds(2)).orElseThrow();
    repository().finish(second, SyncOutcome.failed(1, 0, ErrorCode.INVALID_API_KEY), T0.plusSeconds(3));

    List<SyncRunRecord> history = repository().history(user, 10);
    assertThat(history).hasSize(2);
    assertThat(history.get(0).run().runId()).isEqualTo(second.runId());
    assertThat(history.get(0).outcome()).isEqualTo(SyncOutcome.failed(1, 0, ErrorCode.INVALID_API_KEY));
    assertThat(history.get(0).finishedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(history.get(1).outcome().status()).isEqualTo(SyncStatus.COMPLETED);
    assertThat(history.get(1).outcome().callsSeen()).isEqualTo(10);
    assertThat(history.get(1).outcome().callsChanged()).isEqualTo(4);
  }

  @Test
  void givenRunningRun_historyShowsItUnfinishedWithItsProgress() {
    UserId user = anyUserId();
    SyncRun run = start(user, T0).orElseThrow();
    assertThat(repository().history(user, 10)).singleElement().satisfies(r -> {
      assertThat(r.finished()).isEmpty();
      assertThat(r.callsSeenSoFar()).isZero();
    });
    repository().renew(run, 1234, 56, T0.plusSeconds(1), LEASE);
    assertThat(repository().history(user, 10)).singleElement().satisfies(r -> {
      assertThat(r.finished()).isEmpty();
      assertThat(r.callsSeenSoFar()).isEqualTo(1234);
    });
  }

  @Test
  void cursor_startsAbsentAndNeverMovesBackwards() {
    UserId user = anyUserId();
    assertThat(repository().cursor(user)).isEmpty();
    repository().advanceCursor(user, T0);
    repository().advanceCursor(user, T0.minusSeconds(60));
    assertThat(repository().cursor(user)).contains(T0);
    repository().advanceCursor(user, T0.plusSeconds(60));
    assertThat(repository().cursor(user)).contains(T0.plusSeconds(60));
  }
}
