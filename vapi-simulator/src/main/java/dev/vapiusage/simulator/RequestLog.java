package dev.vapiusage.simulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's recorder: counts requests and keeps the latest {@value #RECORDED_MAX}. A request
 * is recorded just before its headers go out, so a client that has its answer always finds its
 * request in {@link #requests()}. Thread-safe.
 */
final class RequestLog {
  private static final int RECORDED_MAX = 10_000;

  private final ThreadLocal<Pending> pending = new ThreadLocal<>();
  private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
  private final AtomicLong count = new AtomicLong();

  /** A request arrived; it is answered on this thread until {@link #ended}. */
  Pending arrived(String method, String path, Instant at) {
    count.incrementAndGet();
    Pending request = new Pending(method, path, at);
    pending.set(request);
    return request;
  }

  /** The request of this thread is answered with {@code status}: its headers go out next. */
  void answering(int status) {
    Pending request = pending.get();
    if (request != null) {
      request.record(status);
    }
  }

  /** The request of this thread is done; unanswered, it counts as a 500. */
  void ended(Pending request) {
    request.record(500);
    pending.remove();
  }

  long count() {
    return count.get();
  }

  List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  void clear() {
    synchronized (recorded) {
      recorded.clear();
    }
    count.set(0);
  }

  private void record(RecordedRequest request) {
    synchronized (recorded) {
      if (recorded.size() == RECORDED_MAX) {
        recorded.removeFirst();
      }
      recorded.addLast(request);
    }
  }

  /** The request being answered on one thread. */
  final class Pending {
    final String method;
    final String path;
    final Instant arrived;
    final Map<String, String> query = new LinkedHashMap<>();
    int results = -1;
    private boolean recorded;

    private Pending(String method, String path, Instant arrived) {
      this.method = method;
      this.path = path;
      this.arrived = arrived;
    }

    private void record(int status) {
      if (!recorded) {
        recorded = true;
        RequestLog.this.record(new RecordedRequest(method, path, query, status, results, arrived));
      }
    }
  }
}
