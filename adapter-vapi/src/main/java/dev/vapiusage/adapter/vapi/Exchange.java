package dev.vapiusage.adapter.vapi;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UsageException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical {@code GET} against Vapi: bearer auth, a deadline over the whole exchange, status
 * classification, and Resilience4j retries of transient failures within a total time budget.
 * Thread-safe.
 */
final class Exchange {
  private static final Logger log = LoggerFactory.getLogger(VapiClient.class);
  private static final int DRAIN_LIMIT = 64 * 1024;
  private static final double BACKOFF_MULTIPLIER = 2.0;
  private static final double BACKOFF_RANDOMIZATION = 0.5;

  /** Turns a complete 200 body into a value; any {@code IOException} makes the attempt fail. */
  interface BodyReader<T> {
    T read(InputStream body) throws IOException;
  }

  private final VapiClientConfig config;
  private final HttpClient http;
  private final Retry retry;
  private final IntervalFunction backoff;
  private final String base;

  Exchange(VapiClientConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    String uri = config.baseUri().toString();
    this.base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    // Doubles from the first wait, each one randomised by half either way, never above the longest.
    this.backoff =
        IntervalFunction.ofExponentialRandomBackoff(
            config.initialBackoff(),
            BACKOFF_MULTIPLIER,
            BACKOFF_RANDOMIZATION,
            config.maxBackoff());
    this.retry =
        Retry.of(
            "vapi",
            RetryConfig.<Object>custom()
                .maxAttempts(config.maxAttempts())
                .retryOnException(
                    t -> t instanceof TransientFailure && ((TransientFailure) t).retryFitsBudget())
                .intervalBiFunction(this::waitMillis)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                log.info(
                    "Vapi request failed ({}); attempt {} follows in {} ms",
                    event.getLastThrowable() == null ? "?" : event.getLastThrowable().getMessage(),
                    event.getNumberOfRetryAttempts() + 1,
                    event.getWaitInterval().toMillis()));
  }

  /** A {@code GET} retried on transient failures until it succeeds or the budget runs out. */
  <T> T get(ApiKey key, String path, String query, BodyReader<T> reader) {
    long budgetEnd = System.nanoTime() + config.maxRetryTime().toNanos();
    CheckedSupplier<T> attempt = () -> attempt(key, path, query, reader, budgetEnd);
    try {
      return retry.executeCheckedSupplier(attempt);
    } catch (UsageException e) {
      throw e;
    } catch (TransientFailure e) {
      log.warn("Vapi request GET {} failed for good: {}", path, e.getMessage());
      throw UsageException.vapiUnavailable(e.getMessage());
    } catch (Error e) {
      throw e;
    } catch (Throwable e) {
      throw UsageException.vapiUnavailable("unexpected " + e.getClass().getSimpleName());
    }
  }

  /** A single attempt, no retry: for the key check, which a person is waiting on. */
  <T> T getOnce(ApiKey key, String path, String query, BodyReader<T> reader) {
    long budgetEnd = System.nanoTime() + config.requestTimeout().toNanos();
    try {
      return attempt(key, path, query, reader, budgetEnd);
    } catch (TransientFailure e) {
      throw UsageException.vapiUnavailable(e.getMessage());
    }
  }

  private <T> T attempt(ApiKey key, String path, String query, BodyReader<T> reader, long budgetEnd)
      throws TransientFailure {
    long now = System.nanoTime();
    long deadline = Math.min(now + config.requestTimeout().toNanos(), budgetEnd);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(base + path + (query.isEmpty() ? "" : "?" + query)))
              .GET()
              .timeout(Duration.ofNanos(Math.max(1_000_000, deadline - now)))
              .header("Authorization", "Bearer " + key.reveal())
              .header("Accept", "application/json")
              .header("Accept-Encoding", "gzip")
              .header("User-Agent", config.userAgent())
              .build();
    } catch (IllegalArgumentException e) {
      // The JDK names the offending header value, the key, in its message: drop the exception.
      // ApiKey admits only header-safe characters, so this is a key no server could accept.
      throw UsageException.invalidApiKey();
    }
    DeadlineBody body = new DeadlineBody(deadline);
    HttpResponse<InputStream> response = send(request, body, deadline, path, budgetEnd);
    int status = response.statusCode();
    log.debug("GET {} -> {} in {} ms", path, status, (System.nanoTime() - now) / 1_000_000);
    if (status == 200) {
      return readBody(response, body, reader, path, budgetEnd);
    }
    drain(body);
    if (status == 401 || status == 403) {
      throw UsageException.invalidApiKey();
    }
    if (status == 408 || status == 429 || status >= 500) {
      Duration retryAfter =
          RetryAfter.parse(response.headers().firstValue("Retry-After"), Instant.now())
              .orElse(null);
      throw new TransientFailure(
          "HTTP " + status + " from GET " + path, retryAfter, budgetEnd, null);
    }
    throw new UnexpectedStatus(status, path);
  }

  private HttpResponse<InputStream> send(
      HttpRequest request, DeadlineBody body, long deadline, String path, long budgetEnd)
      throws TransientFailure {
    CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(request, info -> body);
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      body.close();
      throw new TransientFailure(
          "no response to GET " + path + " before the deadline", null, budgetEnd, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String what =
          cause instanceof HttpTimeoutException
              ? "no response to GET " + path + " before the deadline"
              : "cannot reach Vapi for GET " + path + " (" + cause.getClass().getSimpleName() + ")";
      throw new TransientFailure(what, null, budgetEnd, cause);
    } catch (InterruptedException e) {
      future.cancel(true);
      body.close();
      Thread.currentThread().interrupt();
      throw UsageException.vapiUnavailable("interrupted while waiting for Vapi");
    }
  }

  private <T> T readBody(
      HttpResponse<InputStream> response,
      DeadlineBody body,
      BodyReader<T> reader,
      String path,
      long budgetEnd)
      throws TransientFailure {
    boolean gzip =
        response
            .headers()
            .firstValue("Content-Encoding")
            .map("gzip"::equalsIgnoreCase)
            .orElse(false);
    try (DeadlineBody raw = body) {
      InputStream in = gzip ? new GZIPInputStream(raw, 16 * 1024) : raw;
      T value = reader.read(in);
      // Reading to the raw end lets the connection be reused instead of reset.
      drainQuietly(raw);
      return value;
    } catch (HttpTimeoutException e) {
      throw new TransientFailure(
          "the body of GET " + path + " was not complete before the deadline", null, budgetEnd, e);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw UsageException.vapiUnavailable("interrupted while reading from Vapi");
    } catch (IOException e) {
      log.debug("Unusable body of GET {}: {}", path, e.toString());
      throw new TransientFailure(
          "an incomplete or malformed body from GET " + path, null, budgetEnd, e);
    }
  }

  private static void drain(DeadlineBody body) {
    try (body) {
      drainQuietly(body);
    }
  }

  private static void drainQuietly(InputStream in) {
    byte[] buffer = new byte[8192];
    int total = 0;
    try {
      int n;
      while (total < DRAIN_LIMIT && (n = in.read(buffer)) >= 0) {
        total += n;
      }
    } catch (IOException e) {
      // An error body that cannot be read changes nothing: the status already decided.
      log.trace("Draining a response body failed", e);
    }
  }

  /** The backoff, stretched to a {@code Retry-After} and cut to the budget by the failure. */
  private long waitMillis(int attempt, Either<Throwable, Object> outcome) {
    long wait = backoff.apply(Math.max(attempt, 1));
    if (outcome.isLeft() && outcome.getLeft() instanceof TransientFailure) {
      return ((TransientFailure) outcome.getLeft()).waitMillis(wait);
    }
    return wait;
  }
}
