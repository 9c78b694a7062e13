package dev.vapiusage.application;

import static dev.vapiusage.domain.testing.TestData.anyApiKey;
import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import org.junit.jupiter.api.Test;

class ConnectVapiTest {
  private final UseCaseFixture app = new UseCaseFixture();

  @Test
  void givenAcceptedKey_connect_storesItSealedAndShowsOnlyItsHint() {
    UserId user = anyUserId();
    ApiKey key = anyApiKey();
    app.vapi.accept(key);

    IntegrationStatus status = app.connect.connect(new ConnectCommand(user, key));

    assertThat(status.connected()).isTrue();
    assertThat(status.keyHint()).isEqualTo(key.hint().value());
    assertThat(status.connectedAt()).isEqualTo(UseCaseFixture.NOW);
    assertThat(status.lastSyncStatus()).isNull();
    Integration stored = app.integrations.find(user).orElseThrow();
    assertThat(stored.sealedKey().orElseThrow().ciphertext()).doesNotContain(key.reveal());
    assertThat(app.vault.open(user, stored.sealedKey().orElseThrow())).isEqualTo(key);
  }

  @Test
  void givenRejectedKey_connect_storesNothing() {
    UserId user = anyUserId();
    assertThatThrownBy(() -> app.connect.connect(new ConnectCommand(user, anyApiKey())))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY))
        .hasMessage("Invalid API key");
    assertThat(app.integrations.find(user)).isEmpty();
  }

  @Test
  void givenRejectedKey_connect_leavesTheExistingConnectionAsItWas() {
    UserId user = anyUserId();
    app.connected(user);
    Integration before = app.integrations.find(user).orElseThrow();

    assertThatThrownBy(() -> app.connect.connect(new ConnectCommand(user, anyApiKey())))
        .isInstanceOf(UsageException.class);

    assertThat(app.integrations.find(user)).contains(before);
  }

  @Test
  void givenVapiDown_connect_failsAsUnavailableAndStoresNothing() {
    UserId user = anyUserId();
    ApiKey key = anyApiKey();
    app.vapi.accept(key);
    app.vapi.unavailable(true);
    assertThatThrownBy(() -> app.connect.connect(new ConnectCommand(user, key)))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE));
    assertThat(app.integrations.find(user)).isEmpty();
  }

  @Test
  void givenNewKey_connect_replacesTheOldOneAndKeepsTheCreationTime() {
    UserId user = anyUserId();
    app.connected(user);
    Integration first = app.integrations.find(user).orElseThrow();
    app.clock.advance(java.time.Duration.ofHours(1));

    ApiKey second = app.connected(user);

    Integration now = app.integrations.find(user).orElseThrow();
    assertThat(app.vault.open(user, now.sealedKey().orElseThrow())).isEqualTo(second);
    assertThat(now.createdAt()).isEqualTo(first.createdAt());
    assertThat(now.connectedAt()).contains(UseCaseFixture.NOW.plusSeconds(3600));
  }

  @Test
  void status_neverCarriesTheKey() {
    UserId user = anyUserId();
    ApiKey key = app.connected(user);
    assertThat(app.status.status(user).toString()).doesNotContain(key.reveal());
    assertThat(app.status.status(anyUserId())).isEqualTo(IntegrationStatus.NEVER_CONNECTED);
  }

  @Test
  void disconnect_deletesTheSealedKeyAndIsIdempotent() {
    UserId user = anyUserId();
    app.connected(user);

    IntegrationStatus status = app.disconnect.disconnect(user);

    assertThat(status.connected()).isFalse();
    assertThat(status.keyHint()).isNull();
    assertThat(app.integrations.find(user).orElseThrow().sealedKey()).isEmpty();
    assertThat(app.disconnect.disconnect(user).connected()).isFalse();
    assertThat(app.disconnect.disconnect(anyUserId())).isEqualTo(IntegrationStatus.NEVER_CONNECTED);
  }

  @Test
  void tokens_authenticateTheirUserOnlyAndAreNotStoredInClear() {
    UserId user = anyUserId();
    String token = app.createToken.create(user);
    assertThat(token).startsWith(CreateUserToken.PREFIX).hasSizeGreaterThan(40);
    assertThat(app.authenticate.authenticate(token)).contains(user);
    assertThat(app.authenticate.authenticate(token + "x")).isEmpty();
    assertThat(app.authenticate.authenticate("")).isEmpty();
    assertThat(app.authenticate.authenticate(null)).isEmpty();
    assertThat(app.tokens.findUser(dev.vapiusage.domain.TokenHash.of(token))).contains(user);
  }
}
