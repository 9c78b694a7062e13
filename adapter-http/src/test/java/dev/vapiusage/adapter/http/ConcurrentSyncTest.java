package dev.vapiusage.adapter.http;

import static dev.vapiusage.adapter.http.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.testing.TestData;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrentSyncTest {
  private final TestServer server = new TestServer();

  @AfterEach
  void stop() {
    server.vapi.open();
    server.close();
  }

  @Test
  void givenASyncRunning_aSecondSync_answersSyncInProgress_andTheFirstCompletes() throws Exception {
    server.vapi.calls.put(TestData.endedCall(Instant.parse("2024-02-14T09:00:00Z"), 60, "0.1"));
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    CountDownLatch entered = server.vapi.closeGate();
    CompletableFuture<TestServer.Response> first =
        CompletableFuture.supplyAsync(
            () -> server.send("POST", "/api/vapi/sync", user.token(), null));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    TestServer.Response second = server.send("POST", "/api/vapi/sync", user.token(), null);
    TestServer.Response ranged =
        server.send(
            "POST",
            "/api/vapi/sync",
            user.token(),
            "{\"startDate\":\"2024-02-01\",\"endDate\":\"2024-02-14\"}");
    TestServer.Response statusWhileRunning = server.get("/api/vapi/connect", user.token());
    server.vapi.open();

    assertError(second, 409, "sync_in_progress");
    assertError(ranged, 409, "sync_in_progress");
    assertThat(statusWhileRunning.json().get("lastSyncStatus").textValue()).isEqualTo("running");
    TestServer.Response completed = first.get(10, TimeUnit.SECONDS);
    assertThat(completed.status()).isEqualTo(200);
    assertThat(completed.json().get("syncedCalls").longValue()).isEqualTo(1);
    assertThat(
            server.get("/api/vapi/connect", user.token()).json().get("lastSyncStatus").textValue())
        .isEqualTo("completed");
  }

  @Test
  void givenASyncRunning_anotherUsersSync_isNotBlockedByIt() throws Exception {
    TestServer.User busy = server.connectedUser(TestData.anyApiKey());
    TestServer.User other = server.connectedUser(TestData.anyApiKey());
    CountDownLatch entered = server.vapi.closeGate();
    CompletableFuture<TestServer.Response> first =
        CompletableFuture.supplyAsync(
            () -> server.send("POST", "/api/vapi/sync", busy.token(), null));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    // The gate holds every stream, so the other user's sync is started and then let through.
    CompletableFuture<TestServer.Response> second =
        CompletableFuture.supplyAsync(
            () -> server.send("POST", "/api/vapi/sync", other.token(), null));
    Thread.sleep(200);
    assertThat(second).isNotDone();
    server.vapi.open();

    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }
}
