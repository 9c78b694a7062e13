package dev.vapiusage.application;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Hands a listing's batches to a task of their own, run by the caller's executor, that stores them,
 * so the source reads and parses the next page while the database stores the last one, instead of
 * the two taking turns. At most {@link #DEPTH} batches wait. A failed store stops the listing at
 * its next batch; {@link #finish} returns once every handed batch is stored, and throws the store's
 * failure if there was one. Batches are stored in the order they were handed over, by one task;
 * those waiting when a store begins are stored together. The executor must run the task while the
 * listing runs (not on the caller's thread): a queued task holds the listing up after {@link
 * #DEPTH} batches.
 */
final class StoreBehind implements Consumer<List<CallRecord>> {
  private static final int DEPTH = 4;
  private static final List<CallRecord> END = List.of();

  private final BlockingQueue<List<CallRecord>> waiting = new ArrayBlockingQueue<>(DEPTH);
  private final Consumer<List<CallRecord>> store;
  private final CountDownLatch storerEnded = new CountDownLatch(1);
  private volatile RuntimeException failure;

  StoreBehind(Executor storers, Consumer<List<CallRecord>> store) {
    this.store = store;
    try {
      storers.execute(this::runStorer);
    } catch (RejectedExecutionException e) {
      failure =
          new UsageException(ErrorCode.SYNC_FAILED, "no thread was free to store the calls", e);
      storerEnded.countDown();
    }
  }

  @Override
  public void accept(List<CallRecord> batch) {
    if (!batch.isEmpty()) {
      handOver(batch);
    }
  }

  /** Waits for every handed batch to be stored; throws what made a store fail. */
  void finish() {
    try {
      handOver(END);
    } catch (RuntimeException e) {
      abandon(e);
      throw e;
    }
    joinStorer();
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * After the listing failed: lets the storer end before this returns, so nothing is stored or
   * renewed once the run is recorded as ended. What was handed over is stored (valid calls, and the
   * run's counts stay right), unless the thread was interrupted: then the waiting batches are
   * dropped, and the storer ends after the one in hand. A store failure is added to {@code cause}.
   */
  void abandon(Throwable cause) {
    boolean interrupted = Thread.interrupted();
    try {
      if (interrupted) {
        waiting.clear();
      }
      while (storerAlive()) {
        try {
          if (waiting.offer(END, 100, TimeUnit.MILLISECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
          waiting.clear();
        }
      }
      joinStorer();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure != null && failure != cause) {
      cause.addSuppressed(failure);
    }
  }

  private void handOver(List<CallRecord> batch) {
    try {
      // Poll so that a storer that stopped, and so takes nothing more, cannot block the lister.
      while (failure == null && !waiting.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        if (!storerAlive() && failure == null) {
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

  /** Waits for the storer to end, interrupted or not (it ends after at most DEPTH + 1 batches). */
  private void joinStorer() {
    boolean interrupted = false;
    while (storerAlive()) {
      try {
        storerEnded.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean storerAlive() {
    return storerEnded.getCount() > 0;
  }

  private void runStorer() {
    try {
      storeAll();
    } finally {
      storerEnded.countDown();
    }
  }

  private void storeAll() {
    try {
      boolean ended = false;
      while (!ended) {
        List<CallRecord> batch = waiting.take();
        if (batch == END) {
          break;
        }
        // Batches that queued up while the last store ran go in together: one store (one
        // transaction, one lease renewal) for several batches when the database is the slower side.
        List<CallRecord> next = waiting.peek();
        if (next != null) {
          List<CallRecord> merged = new ArrayList<>(batch);
          while ((next = waiting.poll()) != null) {
            if (next == END) {
              ended = true;
              break;
            }
            merged.addAll(next);
          }
          batch = merged;
        }
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
