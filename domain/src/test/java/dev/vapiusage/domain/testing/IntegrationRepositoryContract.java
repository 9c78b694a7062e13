package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.DisconnectedIntegration;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.KeyHint;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.SyncState;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link IntegrationRepository} does; subclasses supply the implementation. */
public abstract class IntegrationRepositoryContract {
  protected static final Instant T0 = Instant.parse("2024-02-01T10:00:00.123Z");

  protected abstract IntegrationRepository repository();

  protected ConnectedIntegration connected(UserId userId) {
    return Integration.connect(
        Optional.empty(), userId, new SealedKey("k1", "c2VhbGVk"), new KeyHint("…9f3a"), T0);
  }

  @Test
  void givenNothingSaved_find_isEmpty() {
    assertThat(repository().find(anyUserId())).isEmpty();
  }

  @Test
  void givenConnectedIntegration_find_returnsItWhole() {
    UserId user = anyUserId();
    ConnectedIntegration integration = connected(user);
    repository().save(integration);
    assertThat(repository().find(user)).contains(integration);
  }

  @Test
  void givenDisconnect_find_keepsNoKeyButKeepsSyncState() {
    UserId user = anyUserId();
    ConnectedIntegration integration =
        connected(user)
            .withSync(SyncState.never().completed(T0.plusSeconds(60)), T0.plusSeconds(60));
    repository().save(integration);
    DisconnectedIntegration disconnected = integration.disconnect(T0.plusSeconds(120));
    repository().save(disconnected);

    Integration found = repository().find(user).orElseThrow();
    assertThat(found).isEqualTo(disconnected);
    assertThat(found.sealedKey()).isEmpty();
    assertThat(found.sync().lastSyncedAt()).contains(T0.plusSeconds(60));
  }

  @Test
  void givenReconnect_save_replacesTheKey() {
    UserId user = anyUserId();
    repository().save(connected(user));
    ConnectedIntegration first = connected(user);
    ConnectedIntegration replaced =
        new ConnectedIntegration(
            user,
            new SealedKey("k2", "bmV3"),
            first.hint(),
            first.connectedSince(),
            first.sync(),
            first.createdAt(),
            T0.plusSeconds(5));
    repository().save(replaced);
    assertThat(repository().find(user)).contains(replaced);
  }

  @Test
  void saveSync_changesOnlyTheSyncState() {
    UserId user = anyUserId();
    ConnectedIntegration integration = connected(user);
    repository().save(integration);
    SyncState failed = integration.sync().running().failed(ErrorCode.INVALID_API_KEY);

    repository().saveSync(user, failed, T0.plusSeconds(9));

    Integration found = repository().find(user).orElseThrow();
    assertThat(found.sync()).isEqualTo(failed);
    assertThat(found.sealedKey()).isEqualTo(integration.sealedKey());
    assertThat(found.updatedAt()).isEqualTo(T0.plusSeconds(9));
  }

  @Test
  void givenNoIntegration_saveSync_createsNothing() {
    UserId user = anyUserId();
    repository().saveSync(user, SyncState.never().running(), T0);
    assertThat(repository().find(user)).isEmpty();
  }

  @Test
  void connectedUsers_listsConnectedAndNotDisconnected() {
    UserId stays = anyUserId();
    UserId leaves = anyUserId();
    repository().save(connected(stays));
    repository().save(connected(leaves).disconnect(T0.plusSeconds(1)));
    assertThat(repository().connectedUsers()).contains(stays).doesNotContain(leaves);
  }
}
