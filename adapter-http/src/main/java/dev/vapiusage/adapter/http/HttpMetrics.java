package dev.vapiusage.adapter.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and times requests by method, route template and status, and logs one line per request.
 * Only the route template is logged, never the raw path, query or headers, so no token or key can
 * reach a log line through a request.
 */
final class HttpMetrics implements RequestRecorder {
  static final String TIMER = "http.server.requests";
  static final String UNMATCHED = "unmatched";
  private static final Logger LOG = LoggerFactory.getLogger("dev.vapiusage.adapter.http.access");

  private final MeterRegistry registry;

  HttpMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public void record(String method, String route, int status, long nanos) {
    // Unknown paths collapse into one tag value so a scanner cannot grow the registry.
    String tag = route != null && route.startsWith("/") ? route : UNMATCHED;
    String knownMethod = isKnownMethod(method) ? method : "OTHER";
    Timer.builder(TIMER)
        .description("HTTP requests by route and status")
        .tag("method", knownMethod)
        .tag("route", tag)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    // Every request is counted and timed above; a log line per request would be a synchronised
    // write on every request under load, so only failures log by default and the access log is
    // opt-in (logger dev.vapiusage.adapter.http.access at DEBUG).
    if (status >= 500) {
      LOG.warn("{} {} {} {}ms", knownMethod, tag, status, TimeUnit.NANOSECONDS.toMillis(nanos));
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("{} {} {} {}ms", knownMethod, tag, status, TimeUnit.NANOSECONDS.toMillis(nanos));
    }
  }

  private static boolean isKnownMethod(String method) {
    switch (method) {
      case "GET":
      case "HEAD":
      case "POST":
      case "PUT":
      case "PATCH":
      case "DELETE":
      case "OPTIONS":
        return true;
      default:
        return false;
    }
  }
}
