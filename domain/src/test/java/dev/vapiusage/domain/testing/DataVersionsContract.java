package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.KeyHint;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.SyncState;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.DataVersions;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.UsageRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DataVersions} does together with the repositories that store beside it;
 * subclasses supply the three, sharing one store.
 */
public abstract class DataVersionsContract {
  private static final Instant T0 = Instant.parse("2024-02-01T10:00:00.123Z");

  protected abstract DataVersions versions();

  protected abstract IntegrationRepository integrations();

  protected abstract UsageRepository usage();

  private ConnectedIntegration connected(UserId user) {
    return Integration.connect(
        Optional.empty(), user, new SealedKey("k1", "c2VhbGVk"), new KeyHint("…9f3a"), T0);
  }

  @Test
  void savingAnIntegration_changesTheVersion() {
    UserId user = anyUserId();
    long before = versions().current(user);
    integrations().save(connected(user));
    long connected = versions().current(user);
    integrations().save(connected(user).disconnect(T0.plusSeconds(5)));

    assertThat(connected).isNotEqualTo(before);
    assertThat(versions().current(user)).isNotEqualTo(connected);
  }

  @Test
  void savingASyncOutcome_changesTheVersion() {
    UserId user = anyUserId();
    integrations().save(connected(user));
    long before = versions().current(user);

    integrations()
        .saveSync(user, SyncState.never().completed(T0.plusSeconds(60)), T0.plusSeconds(60));

    assertThat(versions().current(user)).isNotEqualTo(before);
  }

  @Test
  void storingNewOrChangedCalls_changesTheVersion() {
    UserId user = anyUserId();
    long before = versions().current(user);
    usage().store(user, List.of(endedCall("call-a", T0, 60, "0.10")));
    long stored = versions().current(user);

    usage().store(user, List.of(endedCall("call-a", T0, 60, "0.12")));

    assertThat(stored).isNotEqualTo(before);
    assertThat(versions().current(user)).isNotEqualTo(stored);
  }

  @Test
  void storingTheSameCallsAgain_keepsTheVersion() {
    UserId user = anyUserId();
    List<CallRecord> calls =
        List.of(
            endedCall("call-a", T0, 60, "0.10"),
            endedCall("call-b", T0.plusSeconds(9), 30, "0.05"));
    usage().store(user, calls);
    long stored = versions().current(user);

    usage().store(user, calls);

    assertThat(versions().current(user)).isEqualTo(stored);
  }

  @Test
  void firstChangesOfANewUserAtOnce_allSucceedAndChangeTheVersion() throws Exception {
    for (int round = 0; round < 10; round++) {
      UserId user = anyUserId();
      long before = versions().current(user);
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
      java.util.concurrent.ExecutorService threads =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
          String callId = "call-" + i;
          done.add(
              threads.submit(
                  () -> {
                    start.await();
                    return usage().store(user, List.of(endedCall(callId, T0, 60, "0.10")));
                  }));
        }
        for (java.util.concurrent.Future<?> result : done) {
          result.get();
        }
      } finally {
        threads.shutdownNow();
      }
      assertThat(versions().current(user)).isNotEqualTo(before);
    }
  }

  @Test
  void aChangeOfOneUser_keepsTheVersionOfAnother() {
    UserId changed = anyUserId();
    UserId other = anyUserId();
    usage().store(other, List.of(endedCall("call-o", T0, 60, "0.10")));
    long before = versions().current(other);

    integrations().save(connected(changed));
    usage().store(changed, List.of(endedCall("call-c", T0, 60, "0.10")));

    assertThat(versions().current(other)).isEqualTo(before);
  }

  @Test
  void severalUsers_readTogether_matchEachUsersOwnVersion() {
    UserId stored = anyUserId();
    UserId untouched = anyUserId();
    usage().store(stored, List.of(endedCall("call-s", T0, 60, "0.10")));

    java.util.Map<UserId, Long> both = versions().current(List.of(stored, untouched));

    assertThat(both)
        .containsOnlyKeys(stored, untouched)
        .containsEntry(stored, versions().current(stored))
        .containsEntry(untouched, versions().current(untouched));
  }
}
