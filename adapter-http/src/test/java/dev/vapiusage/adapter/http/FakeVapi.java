package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.testing.InMemoryMetricsSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The domain's in-memory Vapi plus two test levers: a gate that holds a stream until released (to
 * catch a sync while it runs) and an unexpected exception (to prove a 500 leaks nothing).
 */
final class FakeVapi implements MetricsSource {
  final InMemoryMetricsSource calls = new InMemoryMetricsSource();
  private volatile CountDownLatch entered;
  private volatile CountDownLatch release;
  private volatile RuntimeException unexpected;

  /** The next streams wait at the gate until {@link #open()}; answers a latch counting entries. */
  CountDownLatch closeGate() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    return entered;
  }

  void open() {
    CountDownLatch gate = release;
    release = null;
    if (gate != null) {
      gate.countDown();
    }
  }

  void failUnexpectedly(RuntimeException e) {
    unexpected = e;
  }

  @Override
  public void verify(ApiKey apiKey) {
    throwIfUnexpected();
    calls.verify(apiKey);
  }

  @Override
  public void stream(ApiKey apiKey, CallWindow window, Consumer<List<CallRecord>> batches) {
    throwIfUnexpected();
    CountDownLatch gate = release;
    if (gate != null) {
      entered.countDown();
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("The test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    calls.stream(apiKey, window, batches);
  }

  private void throwIfUnexpected() {
    RuntimeException e = unexpected;
    if (e != null) {
      throw e;
    }
  }
}
