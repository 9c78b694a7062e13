package dev.vapiusage.adapter.vapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as a stream that gives up at a deadline. Java 17's {@code
 * HttpRequest.timeout} stops counting once the headers arrive, so a body that stalls half-way would
 * block a reader for ever; here every read waits at most until the deadline, then cancels the
 * exchange. One item of demand at a time, so at most one chunk list is buffered.
 */
final class DeadlineBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();

  private final long deadlineNanos;
  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private Iterator<ByteBuffer> chunks = List.<ByteBuffer>of().iterator();
  private ByteBuffer current;
  private boolean ended;

  DeadlineBody(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = Objects.requireNonNull(subscription);
    if (closed) {
      subscription.cancel();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    items.add(item);
  }

  @Override
  public void onError(Throwable throwable) {
    items.add(throwable);
  }

  @Override
  public void onComplete() {
    items.add(END);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, current.remaining());
    current.get(buffer, offset, n);
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.remaining();
  }

  /** Makes {@code current} hold unread bytes; false at the end of the body. */
  @SuppressWarnings("unchecked")
  private boolean fill() throws IOException {
    while (current == null || !current.hasRemaining()) {
      if (chunks.hasNext()) {
        current = chunks.next();
        continue;
      }
      if (ended) {
        return false;
      }
      if (closed) {
        throw new IOException("the response body is closed");
      }
      Object item = take();
      if (item == END) {
        ended = true;
        return false;
      }
      if (item instanceof Throwable) {
        Throwable failure = (Throwable) item;
        throw new IOException("the response body failed: " + failure.getMessage(), failure);
      }
      chunks = ((List<ByteBuffer>) item).iterator();
      subscription.request(1);
    }
    return true;
  }

  private Object take() throws IOException {
    long remaining = deadlineNanos - System.nanoTime();
    Object item = null;
    if (remaining > 0) {
      try {
        item = items.poll(remaining, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancel();
        throw new InterruptedIOException("interrupted while reading the response body");
      }
    }
    if (item == null) {
      cancel();
      throw new HttpTimeoutException("the response body was not complete before the deadline");
    }
    return item;
  }

  /** Cancelling an unfinished body closes its connection, which is what a stall deserves. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (!ended) {
        cancel();
      }
    }
  }

  private void cancel() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
