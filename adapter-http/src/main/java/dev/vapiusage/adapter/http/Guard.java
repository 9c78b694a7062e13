package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every route of this adapter: security headers, the body cap, authentication, CSRF and the
 * mapping of failures to the contract's error JSON. The wrapping is per route rather than through
 * Javalin's global before and exception handlers, so a host application that mounts the routes
 * keeps its own handlers for its own paths.
 */
final class Guard {
  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  /** A handler that runs for an authenticated caller. */
  @FunctionalInterface
  interface CallerHandler {
    void handle(Context ctx, Caller caller) throws Exception;
  }

  private final Authenticator authenticator;
  private final RequestRecorder requests;

  /**
   * {@code requests} is {@link RequestRecorder#NONE} when the server around the routes records
   * requests itself.
   */
  Guard(Authenticator authenticator, RequestRecorder requests) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.requests = Objects.requireNonNull(requests, "requests");
  }

  Authenticator authenticator() {
    return authenticator;
  }

  /** An API route: a caller is required, and a state-changing one must pass the CSRF checks. */
  Handler api(String route, CallerHandler handler) {
    return open(
        route,
        ctx -> {
          RequestBody.rejectDeclaredOversize(ctx);
          Caller caller = authenticator.authenticate(ctx).orElseThrow(HttpErrors::unauthorized);
          if (CsrfGuard.isStateChanging(ctx.method().name())) {
            CsrfGuard.check(ctx, caller, null);
          }
          handler.handle(ctx, caller);
        });
  }

  /** A route anyone may call; failures still answer with the contract's error JSON. */
  Handler open(String route, Handler handler) {
    return ctx -> {
      long started = System.nanoTime();
      SecurityHeaders.apply(ctx);
      try {
        if (!ctx.method().name().equalsIgnoreCase(ctx.req().getMethod())) {
          // A host's Javalin routed the request by X-HTTP-Method-Override; only the real method
          // counts.
          HttpErrors.write(ctx, 405, ErrorCode.INVALID_REQUEST, HttpErrors.messageForStatus(405));
          return;
        }
        handler.handle(ctx);
      } catch (UsageException e) {
        handleUsageException(ctx, route, e);
      } catch (Exception e) {
        LOG.error("{} {} failed unexpectedly", ctx.method().name(), route, Redacted.copyOf(e));
        HttpErrors.writeInternal(ctx);
      } finally {
        requests.record(ctx.method().name(), route, ctx.statusCode(), System.nanoTime() - started);
      }
    };
  }

  static void handleUsageException(Context ctx, String route, UsageException e) {
    int status = HttpErrors.status(e.code());
    if (status >= 500) {
      // One line: the message is written for a person and carries no secret, unlike a cause might.
      LOG.warn(
          "{} {} failed: {} ({})", ctx.method().name(), route, e.code().code(), e.getMessage());
    } else {
      LOG.debug("{} {} refused: {}", ctx.method().name(), route, e.code().code());
    }
    HttpErrors.write(ctx, e);
  }
}
