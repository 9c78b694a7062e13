package dev.vapiusage.adapter.vapi;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.TimeField;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Lists a wide creation window as slices, several at once: while one request waits for Vapi to
 * prepare its page, another's page is read. Creation times never change, so the slices hold
 * disjoint calls and each is listed completely by its own {@link WindowLister}. The slices are
 * smaller than the window divided by the requests in flight, and handed out as they finish, so a
 * dense slice does not leave the others idle. Batches reach the consumer one at a time. The first
 * failure stops the other slices at their next request and is what the caller gets. The caller's
 * thread lists too; the other {@code inFlight - 1} listers are tasks of the given executor. A
 * helper the executor rejects, or has not started by the time the caller's thread ran out of
 * slices, is simply left out.
 */
final class SlicedListing {
  /** Narrower windows are listed as one: they hold too few pages to gain from more requests. */
  static final Duration MIN_SLICED = Duration.ofHours(6);

  private static final int SLICES_PER_LISTING = 4;

  private final int inFlight;
  private final Executor helpers;

  SlicedListing(int inFlight, Executor helpers) {
    this.inFlight = inFlight;
    this.helpers = helpers;
  }

  /** Whether the window is listed in slices. */
  boolean slices(CallWindow window) {
    return inFlight > 1
        && window.field() == TimeField.CREATED_AT
        && Duration.between(window.from(), window.to()).compareTo(MIN_SLICED) >= 0;
  }

  void run(
      WindowLister.Source source,
      int limit,
      CallWindow window,
      Consumer<List<CallRecord>> batches,
      Instant now) {
    Queue<CallWindow> slices =
        new ConcurrentLinkedQueue<>(split(window, inFlight * SLICES_PER_LISTING));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Object consumerLock = new Object();
    Consumer<List<CallRecord>> oneAtATime =
        batch -> {
          synchronized (consumerLock) {
            batches.accept(batch);
          }
        };
    WindowLister.Source stopping = new Stopping(source, failure);
    Runnable worker =
        () -> {
          for (CallWindow slice = slices.poll();
              slice != null && failure.get() == null;
              slice = slices.poll()) {
            try {
              new WindowLister(stopping, limit, slice, oneAtATime, now).run();
            } catch (Throwable e) {
              // Errors too: a slice that ended without a word would pass for complete.
              failure.compareAndSet(null, e);
            }
          }
        };
    List<AtomicBoolean> claimed = new ArrayList<>();
    CountDownLatch helpersDone = new CountDownLatch(inFlight - 1);
    try {
      for (int i = 1; i < inFlight; i++) {
        AtomicBoolean mine = new AtomicBoolean();
        claimed.add(mine);
        Runnable helper =
            () -> {
              if (mine.compareAndSet(false, true)) {
                try {
                  worker.run();
                } finally {
                  helpersDone.countDown();
                }
              }
            };
        try {
          helpers.execute(helper);
        } catch (RejectedExecutionException e) {
          // Fewer requests in flight; the caller's thread still lists every slice.
        }
      }
      worker.run();
    } finally {
      // Helpers that have not started never will; the rest end before this returns or throws, so
      // none may still hand batches to the consumer.
      for (AtomicBoolean mine : claimed) {
        if (mine.compareAndSet(false, true)) {
          helpersDone.countDown();
        }
      }
      for (int i = claimed.size(); i < inFlight - 1; i++) {
        helpersDone.countDown();
      }
      boolean interrupted = false;
      while (helpersDone.getCount() > 0) {
        try {
          helpersDone.await();
        } catch (InterruptedException e) {
          interrupted = true;
          failure.compareAndSet(
              null, UsageException.vapiUnavailable("the listing was interrupted"));
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    Throwable failed = failure.get();
    if (failed instanceof RuntimeException) {
      throw (RuntimeException) failed;
    }
    if (failed instanceof Error) {
      throw (Error) failed;
    }
    if (failed != null) {
      throw new IllegalStateException("a slice of the listing failed", failed);
    }
  }

  static List<CallWindow> split(CallWindow window, int parts) {
    long from = window.from().toEpochMilli();
    long to = window.to().toEpochMilli();
    long width = Math.max(1, (to - from) / parts);
    List<CallWindow> slices = new ArrayList<>(parts);
    Instant start = window.from();
    for (int i = 1; i < parts; i++) {
      Instant end = Instant.ofEpochMilli(from + width * i);
      if (end.isAfter(start) && end.isBefore(window.to())) {
        slices.add(new CallWindow(window.field(), start, end));
        start = end;
      }
    }
    slices.add(new CallWindow(window.field(), start, window.to()));
    return slices;
  }

  /** Refuses further requests once any slice has failed. */
  private static final class Stopping implements WindowLister.Source {
    private final WindowLister.Source source;
    private final AtomicReference<Throwable> failure;

    Stopping(WindowLister.Source source, AtomicReference<Throwable> failure) {
      this.source = source;
      this.failure = failure;
    }

    @Override
    public List<CallRecord> list(List<WindowLister.Bound> bounds, int limit) {
      stopIfFailed();
      return source.list(bounds, limit);
    }

    @Override
    public CallParser.V2Page page(List<WindowLister.Bound> bounds, int page, int limit) {
      stopIfFailed();
      return source.page(bounds, page, limit);
    }

    private void stopIfFailed() {
      if (failure.get() != null) {
        throw UsageException.vapiUnavailable("another part of the listing failed");
      }
    }
  }
}
