package dev.vapiusage.adapter.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * Closes a connection whose request line and headers are not complete within a deadline. Jetty's
 * idle timeout starts again with every byte, so a client that sends a header byte every few seconds
 * would otherwise hold a connection (and a slot of the server) forever. A connection that waits
 * between requests is the idle timeout's business, not this one's.
 */
final class HeaderDeadline implements Connection.Listener, AutoCloseable {
  static final Duration DEFAULT = Duration.ofSeconds(10);

  private final long deadlineNanos;
  private final Map<HttpConnection, Started> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper;

  /** When a connection was first seen reading the headers of its {@code messagesIn}-th request. */
  private record Started(long messagesIn, long nanos) {}

  /** Not reading headers: the next request's headers start a new clock. */
  private static final Started IDLE = new Started(-1, 0);

  HeaderDeadline(Duration deadline) {
    this.deadlineNanos = deadline.toNanos();
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "vapi-usage-header-deadline");
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(100, Math.min(1000, deadline.toMillis() / 4));
    sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  /** Watches every connection the server's connectors accept from now on. */
  void watch(Server server) {
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ContainerLifeCycle) {
        ((ContainerLifeCycle) connector).addBean(this);
      }
    }
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection) {
      open.put((HttpConnection) connection, IDLE);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  private void sweep() {
    long now = System.nanoTime();
    open.replaceAll(
        (connection, started) -> {
          // The parser's state is read off its thread; a stale read only delays a close by a sweep.
          boolean readingHeaders =
              connection.getParser().inHeaderState() && !connection.getParser().isStart();
          if (!readingHeaders) {
            return IDLE;
          }
          long messages = connection.getMessagesIn();
          if (started.messagesIn() != messages) {
            return new Started(messages, now);
          }
          if (now - started.nanos() > deadlineNanos) {
            connection.getEndPoint().close();
          }
          return started;
        });
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
