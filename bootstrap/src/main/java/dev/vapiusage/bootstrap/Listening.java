package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.http.VapiUsageHttp;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/** Where a server listens: checked before start-up work, and the URL a person opens. */
final class Listening {
  private Listening() {}

  /**
   * Fails with one line naming PORT or HOST when {@code host:port} cannot be listened on, before
   * the database is opened and the key stretched. Another process may still take the port in
   * between; {@link #start} reports that the same way.
   */
  static void check(String host, int port) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException | SecurityException e) {
      throw new ConfigException("HOST " + host + " is not a known host name or address");
    }
    try (ServerSocket socket = new ServerSocket()) {
      // As Jetty does: a port whose last connections are still closing is free.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw bindFailure(host, port, e);
    }
  }

  /** Starts the server on {@code host:port}; a port taken meanwhile is one line naming PORT. */
  static VapiUsageHttp start(VapiUsageHttp http, String host, int port) {
    try {
      return http.start(host, port);
    } catch (RuntimeException e) {
      for (Throwable cause = e;
          cause != null && cause != cause.getCause();
          cause = cause.getCause()) {
        if (cause instanceof BindException) {
          throw bindFailure(host, port, (BindException) cause);
        }
      }
      throw e;
    }
  }

  private static ConfigException bindFailure(String host, int port, IOException e) {
    String reason = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (reason.contains("in use")) {
      return new ConfigException("PORT " + port + " is already in use on " + host);
    }
    if (reason.contains("permission denied") || reason.contains("access")) {
      return new ConfigException(
          "PORT "
              + port
              + " needs privileges on this machine (ports below 1024 usually do); choose another PORT");
    }
    if (reason.contains("assign")) {
      return new ConfigException("HOST " + host + " is not an address of this machine");
    }
    return new ConfigException(
        "HOST "
            + host
            + " and PORT "
            + port
            + " cannot be listened on ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
            + ")");
  }

  /**
   * The URL of {@code path} on a server listening on {@code host:port}, as a browser can open it: a
   * wildcard address (0.0.0.0, ::) is no place to browse to, so it becomes {@code localhost}, or
   * the first of ALLOWED_HOSTS when those leave localhost out.
   */
  static String url(String host, int port, Set<String> allowedHosts, String path) {
    String name = Settings.bracketed(host);
    if (Settings.WILDCARD_HOSTS.contains(host)) {
      name =
          allowedHosts.isEmpty() || allowedHosts.contains("localhost")
              ? "localhost"
              : allowedHosts.iterator().next();
    }
    return "http://" + name + ":" + port + path;
  }
}
