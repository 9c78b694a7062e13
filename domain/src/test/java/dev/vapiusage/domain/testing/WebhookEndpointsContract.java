package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.push.WebhookEndpoint;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link WebhookEndpoints} does; subclasses supply the implementation. */
public abstract class WebhookEndpointsContract {
  private static final SecureRandom RANDOM = new SecureRandom();

  protected abstract WebhookEndpoints endpoints();

  /** A random webhook id as the use case makes them: 128 bits in hex. */
  public static String anyWebhookId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void givenNoEndpoint_endpointOf_storesOneWithTheNewIdAndNoSecret() {
    UserId user = anyUserId();
    String id = anyWebhookId();

    WebhookEndpoint endpoint = endpoints().endpointOf(user, id);

    assertThat(endpoint).isEqualTo(new WebhookEndpoint(user, id, Optional.empty()));
    assertThat(endpoints().find(id)).contains(endpoint);
  }

  @Test
  void givenAnEndpoint_endpointOf_keepsItsIdAndIgnoresTheNewOne() {
    UserId user = anyUserId();
    String first = anyWebhookId();
    endpoints().endpointOf(user, first);
    String second = anyWebhookId();

    assertThat(endpoints().endpointOf(user, second).webhookId()).isEqualTo(first);
    assertThat(endpoints().find(second)).isEmpty();
  }

  @Test
  void givenManyThreadsRacing_endpointOf_givesThemAllTheSameEndpoint() throws Exception {
    UserId user = anyUserId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<WebhookEndpoint>> tasks =
          IntStream.range(0, 16)
              .<Callable<WebhookEndpoint>>mapToObj(
                  i -> () -> endpoints().endpointOf(user, anyWebhookId()))
              .toList();
      List<String> ids =
          pool.invokeAll(tasks).stream().map(WebhookEndpointsContract::get).distinct().toList();

      assertThat(ids).hasSize(1);
      assertThat(endpoints().find(ids.get(0)).map(WebhookEndpoint::userId)).contains(user);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void unknownWebhookId_find_isEmpty() {
    assertThat(endpoints().find(anyWebhookId())).isEmpty();
  }

  @Test
  void replaceSecret_storesTheSealedSecretAndANewOneReplacesIt() {
    UserId user = anyUserId();
    String id = endpoints().endpointOf(user, anyWebhookId()).webhookId();
    SealedKey first = new SealedKey("k1", "sealed-first");
    SealedKey second = new SealedKey("k2", "sealed-second");

    endpoints().replaceSecret(user, first);
    assertThat(endpoints().find(id).flatMap(WebhookEndpoint::secret)).contains(first);

    endpoints().replaceSecret(user, second);
    assertThat(endpoints().find(id).flatMap(WebhookEndpoint::secret)).contains(second);
    assertThat(endpoints().endpointOf(user, anyWebhookId()).secret()).contains(second);
  }

  @Test
  void replaceSecret_leavesOtherUsersEndpointsAlone() {
    UserId alice = anyUserId();
    UserId bob = anyUserId();
    endpoints().endpointOf(alice, anyWebhookId());
    String bobsId = endpoints().endpointOf(bob, anyWebhookId()).webhookId();

    endpoints().replaceSecret(alice, new SealedKey("k1", "sealed-alice"));

    assertThat(endpoints().find(bobsId).flatMap(WebhookEndpoint::secret)).isEmpty();
  }

  @Test
  void givenNoEndpoint_replaceSecret_failsWithNotFound() {
    assertThatThrownBy(() -> endpoints().replaceSecret(anyUserId(), new SealedKey("k", "s")))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void endpoint_toString_leavesTheSecretOut() {
    UserId user = anyUserId();
    endpoints().endpointOf(user, anyWebhookId());
    endpoints().replaceSecret(user, new SealedKey("k1", "sealed-text-not-shown"));

    assertThat(endpoints().endpointOf(user, anyWebhookId()).toString())
        .doesNotContain("sealed-text-not-shown");
  }

  private static String get(Future<WebhookEndpoint> future) {
    try {
      return future.get().webhookId();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
