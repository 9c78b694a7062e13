package dev.vapiusage.application;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands a listing's batches to a thread of their own that stores them, so the source reads and
 * parses the next page while the database stores the last one, instead of the two taking turns.
 * At most {@link #DEPTH} batches wait. A failed store stops the listing at its next batch;
 * {@link #finish} returns once every handed batch is stored, and throws the store's failure if
 * there was one. Batches are stored in the order they were handed over, by one thread.
 */
final class StoreBehind implements Consumer<List<CallRecord>> {
  private static final int DEPTH = 2;
  private static final List<CallRecord> END = List.of();

  private final BlockingQueue<List<CallRecord>> waiting = new ArrayBlockingQueue<>(DEPTH);
  private final Consumer<List<CallRecord>> store;
  private final Thread storer;
  private volatile RuntimeException failure;

  StoreBehind(String name, Consumer<List<CallRecord>> store) {
    this.store = store;
    this.storer = new Thread(this::storeAll, name);
    storer.setDaemon(true);
    storer.start();
  }

  @Override
  public void accept(List<CallRecord> batch) {
    if (!batch.isEmpty()) {
      handOver(batch);
    }
  }

  /** Waits for every handed batch to be stored; throws what made a store fail. */
  void finish() {
    handOver(END);
    awaitStorer();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * After the listing failed: stores what was handed over (valid calls, and the run's counts stay
   * right), then lets the thread end. A store failure is added to {@code cause}.
   */
  void abandon(RuntimeException cause) {
    try {
      finish();
    } catch (RuntimeException e) {
      if (e != cause) {
        cause.addSuppressed(e);
      }
    }
  }

  private void handOver(List<CallRecord> batch) {
    try {
      // Poll so that a storer that stopped, and so takes nothing more, cannot block the lister.
      while (failure == null && !waiting.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        if (!storer.isAlive() && failure == null) {
          failure = new UsageException(ErrorCode.SYNC_FAILED, "storing the calls stopped");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException(ErrorCode.SYNC_FAILED, "the sync was interrupted");
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void awaitStorer() {
    try {
      storer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException(ErrorCode.SYNC_FAILED, "the sync was interrupted");
    }
  }

  private void storeAll() {
    try {
      for (List<CallRecord> batch = waiting.take(); batch != END; batch = waiting.take()) {
        store.accept(batch);
      }
    } catch (InterruptedException e) {
      failure = new UsageException(ErrorCode.SYNC_FAILED, "the sync was interrupted");
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      failure = new UsageException(ErrorCode.SYNC_FAILED, "storing the calls failed", e);
      throw e;
    }
  }
}
