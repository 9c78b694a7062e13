package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UsageException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies with a hard cap. Bodies are read here rather than through Javalin so that
 * every route enforces the same limit and a truncated or malformed stream is the caller's mistake,
 * never a 500.
 */
final class RequestBody {
  static final int MAX_BYTES = 16 * 1024;

  /** Vapi's server messages carry whole transcripts and messages: the webhook takes 1 MiB. */
  static final int WEBHOOK_MAX_BYTES = 1024 * 1024;

  /**
   * An oversized body is read and discarded up to this much before answering, so the client sees
   * the 413 instead of a connection reset while it is still sending.
   */
  private static final long DRAIN_LIMIT = 1024 * 1024;

  private RequestBody() {}

  /** Refuses a body that announces itself as too large before anything else reads it. */
  static void rejectDeclaredOversize(Context ctx) {
    rejectDeclaredOversize(ctx, MAX_BYTES);
  }

  private static void rejectDeclaredOversize(Context ctx, int maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      if (declared <= drainLimit(maxBytes)) {
        drain(ctx, maxBytes);
      }
      throw HttpErrors.payloadTooLarge(maxBytes);
    }
  }

  static byte[] read(Context ctx) {
    return read(ctx, MAX_BYTES);
  }

  /** The body of up to {@code maxBytes}; a longer one is {@code payload_too_large}. */
  static byte[] read(Context ctx, int maxBytes) {
    rejectDeclaredOversize(ctx, maxBytes);
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        drain(in, drainLimit(maxBytes));
        throw HttpErrors.payloadTooLarge(maxBytes);
      }
      return bytes;
    } catch (IOException | IllegalStateException e) {
      throw UsageException.invalidRequest("The request body could not be read");
    } catch (UsageException e) {
      throw e;
    } catch (RuntimeException e) {
      // Jetty reports a malformed chunked body with its own unchecked exception.
      throw UsageException.invalidRequest("The request body could not be read");
    }
  }

  /** At least {@link #DRAIN_LIMIT}, and twice the cap of a route that takes more. */
  private static long drainLimit(int maxBytes) {
    return Math.max(DRAIN_LIMIT, 2L * maxBytes);
  }

  private static void drain(Context ctx, int maxBytes) {
    try {
      drain(ctx.req().getInputStream(), drainLimit(maxBytes));
    } catch (IOException | RuntimeException e) {
      // Nothing to save: the answer is 413 either way.
    }
  }

  private static void drain(InputStream in, long limit) {
    try {
      long skipped = 0;
      byte[] buffer = new byte[8192];
      int n;
      while (skipped < limit && (n = in.read(buffer)) >= 0) {
        skipped += n;
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or sent garbage; the answer is 413 either way.
    }
  }
}
