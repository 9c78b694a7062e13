package dev.vapiusage.application;

import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StoreBehindTest {
  private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

  private static List<CallRecord> batch(int n) {
    return List.of(endedCall("call-" + n, T0.plusSeconds(n), 60, "0.1"));
  }

  /** A store that says it started, waits for {@code release}, then keeps the batch. */
  private static java.util.function.Consumer<List<CallRecord>> storingAfter(
      CountDownLatch started, CountDownLatch release, List<List<CallRecord>> stored) {
    return b -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      stored.add(b);
    };
  }

  @Test
  void everyHandedBatch_isStoredInOrderByTheTimeFinishReturns() {
    List<List<CallRecord>> stored = Collections.synchronizedList(new ArrayList<>());
    StoreBehind behind = new StoreBehind(DaemonThreads.named("test-store"), stored::add);

    for (int i = 0; i < 50; i++) {
      behind.accept(batch(i));
    }
    behind.finish();

    List<CallRecord> handed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      handed.addAll(batch(i));
    }
    assertThat(flat(stored)).isEqualTo(handed);
  }

  @Test
  void batchesWaitingWhileAStoreRuns_areStoredTogetherInOrder() throws InterruptedException {
    HeldStore held = new HeldStore(3);
    held.release.countDown();
    held.behind.finish();

    assertThat(held.stored).containsExactly(batch(1), flat(List.of(batch(2), batch(3), batch(4))));
  }

  /**
   * A storer holding batch 1 in its store until {@code release}, with batches 2.. waiting behind
   * it.
   */
  private static final class HeldStore {
    final CountDownLatch release = new CountDownLatch(1);
    final List<List<CallRecord>> stored = Collections.synchronizedList(new ArrayList<>());
    final StoreBehind behind;

    HeldStore(int waiting) throws InterruptedException {
      CountDownLatch storing = new CountDownLatch(1);
      behind =
          new StoreBehind(
              DaemonThreads.named("test-store"), storingAfter(storing, release, stored));
      behind.accept(batch(1));
      storing.await();
      for (int n = 2; n <= waiting + 1; n++) {
        behind.accept(batch(n));
      }
    }
  }

  private static List<CallRecord> flat(List<List<CallRecord>> batches) {
    List<CallRecord> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }

  @Test
  void givenAnExecutor_storing_runsOnItsThreads() {
    List<String> storedOn = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService embedder =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            task -> new Thread(task, "embedder-store"));
    try {
      StoreBehind behind =
          new StoreBehind(embedder, b -> storedOn.add(Thread.currentThread().getName()));
      behind.accept(batch(1));
      behind.finish();
    } finally {
      embedder.shutdownNow();
    }

    assertThat(storedOn).containsExactly("embedder-store");
  }

  @Test
  void anExecutorThatRejectsTheStorer_failsTheListingInsteadOfBlockingIt() {
    StoreBehind behind =
        new StoreBehind(
            task -> {
              throw new java.util.concurrent.RejectedExecutionException("full");
            },
            b -> {});

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10; i++) {
                behind.accept(batch(i));
              }
            })
        .isInstanceOf(UsageException.class)
        .extracting(e -> ((UsageException) e).code())
        .isEqualTo(ErrorCode.SYNC_FAILED);
  }

  @Test
  void aFailedStore_stopsTheListerWithItsFailure() {
    UsageException broken =
        new UsageException(ErrorCode.INTERNAL_ERROR, "The database failed to store calls");
    StoreBehind behind =
        new StoreBehind(
            DaemonThreads.named("test-store"),
            b -> {
              throw broken;
            });

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10; i++) {
                behind.accept(batch(i));
              }
              behind.finish();
            })
        .isSameAs(broken);
  }

  @Test
  void whenTheListingFails_whatWasHandedOverIsStillStored() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    List<List<CallRecord>> stored = Collections.synchronizedList(new ArrayList<>());
    StoreBehind behind =
        new StoreBehind(
            DaemonThreads.named("test-store"),
            storingAfter(new CountDownLatch(1), release, stored));
    behind.accept(batch(1));
    behind.accept(batch(2));
    release.countDown();

    behind.abandon(new UsageException(ErrorCode.VAPI_UNAVAILABLE, "Vapi failed"));

    assertThat(flat(stored)).containsExactly(batch(1).get(0), batch(2).get(0));
  }

  @Test
  void anInterruptedSync_endsItsStorerBeforeAbandonReturns() throws InterruptedException {
    HeldStore held = new HeldStore(2);
    CountDownLatch release = held.release;
    List<List<CallRecord>> stored = held.stored;
    StoreBehind behind = held.behind;

    Thread.currentThread().interrupt();
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                return;
              }
              release.countDown();
            });
    releaser.start();
    behind.abandon(new UsageException(ErrorCode.SYNC_FAILED, "the sync was interrupted"));

    assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    int storedWhenAbandoned = stored.size();
    Thread.sleep(300);
    assertThat(stored).as("nothing stored after abandon returned").hasSize(storedWhenAbandoned);
    assertThat(storedWhenAbandoned).as("the batch in hand, not the waiting ones").isEqualTo(1);
    releaser.join();
  }
}
