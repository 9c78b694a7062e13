package dev.vapiusage.application;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncAllConnectedTest {
  private final UseCaseFixture app = new UseCaseFixture();
  private final SyncAllConnected round = new SyncAllConnected(app.integrations, app.sync);

  @Test
  void aRound_syncsEveryConnectedUserAndSkipsRejectedKeysAndRunningSyncs() {
    UserId fine = anyUserId();
    UserId rejected = anyUserId();
    UserId busy = anyUserId();
    UserId gone = anyUserId();
    app.connected(fine);
    ApiKey revoked = app.connected(rejected);
    app.connected(busy);
    app.connected(gone);
    app.disconnect.disconnect(gone);
    app.vapi.put(endedCall(UseCaseFixture.NOW.minusSeconds(60), 60, "1"));
    app.vapi.revoke(revoked);
    app.lease.tryStart(
        busy,
        SyncKind.RANGE,
        CallWindow.created(UseCaseFixture.NOW.minusSeconds(1), UseCaseFixture.NOW),
        UseCaseFixture.NOW,
        Duration.ofMinutes(2));

    assertThat(round.syncAll()).isEqualTo(new SyncAllConnected.Round(1, 1, 1));
    // The rejected key is not tried again until the user connects a new one.
    assertThat(round.syncAll().failed()).isZero();
    assertThat(app.status.status(fine).lastSyncedAt()).isEqualTo(UseCaseFixture.NOW);
    assertThat(app.status.status(gone).lastSyncStatus()).isNull();
  }
}
