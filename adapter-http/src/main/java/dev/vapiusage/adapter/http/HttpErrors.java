package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import io.javalin.http.Context;

/** The one place where error codes become HTTP statuses and the contract's error body. */
final class HttpErrors {
  static final String INTERNAL_MESSAGE = "An unexpected error occurred";

  private HttpErrors() {}

  /** Exhaustive on purpose: a new error code does not compile until it has a status. */
  static int status(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST,
          INVALID_API_KEY,
          INVALID_DATE,
          INVALID_RANGE,
          RANGE_TOO_LARGE,
          INVALID_TIMEZONE,
          INVALID_CURSOR ->
          400;
      case UNAUTHORIZED, INVALID_SIGNATURE -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case NOT_CONNECTED, SYNC_IN_PROGRESS -> 409;
      case PAYLOAD_TOO_LARGE -> 413;
      case RATE_LIMITED -> 429;
      case VAPI_UNAVAILABLE, SYNC_FAILED -> 502;
      case INTERNAL_ERROR -> 500;
    };
  }

  /**
   * The code of a status that Jetty or Javalin chose on their own, with no domain error behind it.
   */
  static ErrorCode codeForStatus(int status) {
    switch (status) {
      case 401:
        return ErrorCode.UNAUTHORIZED;
      case 403:
        return ErrorCode.FORBIDDEN;
      case 404:
        return ErrorCode.NOT_FOUND;
      case 413:
      case 414:
      case 431:
        return ErrorCode.PAYLOAD_TOO_LARGE;
      case 429:
        return ErrorCode.RATE_LIMITED;
      default:
        return status >= 400 && status < 500 ? ErrorCode.INVALID_REQUEST : ErrorCode.INTERNAL_ERROR;
    }
  }

  /** A sentence for a status Jetty or Javalin chose; their own reasons may echo request text. */
  static String messageForStatus(int status) {
    switch (status) {
      case 401:
        return "Authentication required";
      case 403:
        return "Forbidden";
      case 404:
        return "Not found";
      case 405:
        return "Method not allowed";
      case 413:
        return "The request body is too large";
      case 414:
        return "The request URI is too long";
      case 431:
        return "The request headers are too large";
      default:
        return status >= 400 && status < 500 ? "Bad request" : INTERNAL_MESSAGE;
    }
  }

  static byte[] body(ErrorCode code, String message) {
    ObjectNode node = Json.object();
    node.put("error", message);
    node.put("code", code.code());
    return Json.bytes(node);
  }

  static void write(Context ctx, int status, ErrorCode code, String message) {
    ctx.status(status).contentType(Json.CONTENT_TYPE).result(body(code, message));
  }

  static void write(Context ctx, UsageException e) {
    ErrorCode code = e.code();
    // Internal failures may carry a detail meant for the log, not for the caller.
    String message = code == ErrorCode.INTERNAL_ERROR ? INTERNAL_MESSAGE : e.getMessage();
    if (code == ErrorCode.RATE_LIMITED && e instanceof RateLimitedException) {
      ctx.header("Retry-After", Long.toString(((RateLimitedException) e).retryAfterSeconds()));
    }
    if (code == ErrorCode.UNAUTHORIZED) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    write(ctx, status(code), code, message);
  }

  static void writeInternal(Context ctx) {
    write(ctx, 500, ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE);
  }

  static UsageException unauthorized() {
    return new UsageException(
        ErrorCode.UNAUTHORIZED,
        "Authentication required: send Authorization: Bearer <token> or sign in");
  }

  static UsageException forbidden(String message) {
    return new UsageException(ErrorCode.FORBIDDEN, message);
  }

  static UsageException payloadTooLarge() {
    return new UsageException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "The request body is larger than " + RequestBody.MAX_BYTES + " bytes");
  }
}
