package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncLease;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import dev.vapiusage.domain.sync.SyncOutcome;
import dev.vapiusage.domain.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link SyncLease} does; subclasses supply the implementation. */
public abstract class SyncLeaseContract {
  protected static final Instant T0 = Instant.parse("2024-02-01T10:00:00.250Z");
  protected static final Duration LEASE = Duration.ofMinutes(2);
  protected static final CallWindow WINDOW = CallWindow.created(T0.minusSeconds(3600), T0);

  protected abstract SyncLease lease();

  private Optional<SyncRun> start(UserId user, Instant now) {
    return lease().tryStart(user, SyncKind.RANGE, WINDOW, now, LEASE);
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
    lease().finish(run, SyncOutcome.completed(3, 2), T0.plusSeconds(1));
    assertThat(start(user, T0.plusSeconds(2))).isPresent();
  }

  @Test
  void givenExpiredLease_tryStart_takesOverAndTheOldRunCannotRenew() {
    UserId user = anyUserId();
    SyncRun crashed = start(user, T0).orElseThrow();
    Instant later = T0.plus(LEASE).plusSeconds(1);
    SyncRun takeover = start(user, later).orElseThrow();

    assertThat(lease().renew(crashed, 5, 5, later, LEASE)).isFalse();
    assertThat(lease().renew(takeover, 0, 0, later, LEASE)).isTrue();
  }

  @Test
  void renew_keepsOthersOutBeyondTheFirstLease() {
    UserId user = anyUserId();
    SyncRun run = start(user, T0).orElseThrow();
    assertThat(lease().renew(run, 10, 3, T0.plus(LEASE).minusSeconds(1), LEASE)).isTrue();
    assertThat(start(user, T0.plus(LEASE).plusSeconds(1))).isEmpty();
  }
}
