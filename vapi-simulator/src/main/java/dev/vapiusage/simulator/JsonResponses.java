package dev.vapiusage.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.vapiusage.simulator.FaultInjector.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the simulator's JSON answers: whole (gzip-compressed when asked and enabled), as Vapi's
 * error objects, or broken half-way as a fault asks. Each answer is recorded in the {@link
 * RequestLog} just before its headers go out.
 */
final class JsonResponses {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ThreadLocal<PageBuffer> PAGE_BUFFER =
      ThreadLocal.withInitial(PageBuffer::new);

  /** A response body written through a JSON generator. */
  interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private final RequestLog log;
  private final CountDownLatch closed;

  /** {@code closed} ends the wait of a stalled body. */
  JsonResponses(RequestLog log, CountDownLatch closed) {
    this.log = log;
    this.closed = closed;
  }

  void sendError(
      HttpExchange exchange, int status, String error, Object message, Map<String, String> headers)
      throws IOException {
    headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    sendJson(
        exchange,
        status,
        g -> {
          g.writeStartObject();
          if (message instanceof List) {
            g.writeArrayFieldStart("message");
            for (Object item : (List<?>) message) {
              g.writeString(String.valueOf(item));
            }
            g.writeEndArray();
          } else {
            g.writeStringField("message", String.valueOf(message));
          }
          g.writeStringField("error", error);
          g.writeNumberField("statusCode", status);
          g.writeEndObject();
        },
        Fault.NONE,
        false);
  }

  /**
   * Answers {@code body}; {@code gzip}: whether the simulator compresses for clients that accept
   * it.
   */
  void sendJson(HttpExchange exchange, int status, Body body, Fault fault, boolean gzip)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (fault == Fault.TRUNCATED || fault == Fault.MALFORMED || fault == Fault.STALLED) {
      sendBroken(exchange, status, body, fault);
      return;
    }
    String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    boolean compress = gzip && accepted != null && accepted.contains("gzip");
    if (compress) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    // Rendered first and sent with a Content-Length: the JDK server's chunked encoding costs
    // more CPU than rendering the page on loopback. The buffer is the handler thread's own and
    // kept, so multi-megabyte pages do not churn the heap.
    PageBuffer buffer = PAGE_BUFFER.get();
    buffer.reset();
    try (OutputStream target = compress ? new GZIPOutputStream(buffer, 64 * 1024) : buffer;
        JsonGenerator g = JSON.createGenerator(target)) {
      body.write(g);
    }
    log.answering(status);
    exchange.sendResponseHeaders(status, buffer.size() == 0 ? -1 : buffer.size());
    try (OutputStream out = exchange.getResponseBody()) {
      buffer.sendTo(out);
    }
    if (buffer.capacity() > PageBuffer.KEEP_AT_MOST) {
      PAGE_BUFFER.remove();
    }
  }

  /** A growable byte buffer, reused per thread; closing it does nothing. */
  private static final class PageBuffer extends ByteArrayOutputStream {
    /** Pages of 1000 heavy calls are about 3 MB; an unusual bigger one is not kept. */
    static final int KEEP_AT_MOST = 8 * 1024 * 1024;

    PageBuffer() {
      super(256 * 1024);
    }

    int capacity() {
      return buf.length;
    }

    /** At most 64 KiB per write, which keeps the server's socket buffer small. */
    void sendTo(OutputStream out) throws IOException {
      for (int at = 0; at < count; at += 64 * 1024) {
        out.write(buf, at, Math.min(64 * 1024, count - at));
      }
    }
  }

  /** A body cut half-way: connection closed, cleanly ended, or stalled until the client leaves. */
  private void sendBroken(HttpExchange exchange, int status, Body body, Fault fault)
      throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      body.write(g);
    }
    byte[] bytes = buffer.toByteArray();
    int half = bytes.length / 2;
    log.answering(status);
    if (fault == Fault.TRUNCATED) {
      exchange.sendResponseHeaders(status, bytes.length);
      OutputStream out = exchange.getResponseBody();
      out.write(bytes, 0, half);
      out.flush();
      // An exception out of the handler makes the server drop the connection mid-body.
      throw new IOException("simulated truncated body");
    }
    exchange.sendResponseHeaders(status, 0);
    OutputStream out = exchange.getResponseBody();
    out.write(bytes, 0, half);
    out.flush();
    if (fault == Fault.MALFORMED) {
      out.close();
      return;
    }
    try {
      closed.await(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IOException("simulated stalled body");
  }
}
