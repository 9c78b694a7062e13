package dev.vapiusage.adapter.vapi;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of a {@link VapiClient}: where Vapi is, how long one exchange may take, how many calls
 * one {@code GET /call} asks for, and the bounds of retrying.
 *
 * @param baseUri Vapi's base URL, {@code https://api.vapi.ai} by default
 * @param connectTimeout the longest wait for a TCP/TLS connection
 * @param requestTimeout the deadline of one attempt, from sending to the body's last byte
 * @param pageLimit the {@code limit} of each {@code GET /call}, 1 to 1000
 * @param maxAttempts attempts per request, the first one included
 * @param initialBackoff the first wait between attempts; it doubles, each wait randomised by half
 *     either way
 * @param maxBackoff the longest wait between attempts, unless {@code Retry-After} asks for more
 * @param maxRetryTime the whole time one request may take across its attempts and waits
 * @param userAgent the {@code User-Agent} header
 * @param listings how many requests one listing of a creation window keeps in flight (each on its
 *     own slice of the window), so Vapi prepares a page while the last one is read
 * @param listingThreads runs the {@code listings - 1} extra listers of a sliced listing (the
 *     calling thread is one); by default each runs on a new daemon thread named {@code
 *     vapi-listing-N}
 */
public record VapiClientConfig(
    URI baseUri,
    Duration connectTimeout,
    Duration requestTimeout,
    int pageLimit,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryTime,
    String userAgent,
    int listings,
    Executor listingThreads) {

  public static final URI DEFAULT_BASE_URI = URI.create("https://api.vapi.ai");
  public static final int MAX_PAGE_LIMIT = 1000;

  /** More requests in flight would mostly earn 429s from Vapi's per-org rate limit. */
  public static final int MAX_LISTINGS = 4;

  public VapiClientConfig {
    Objects.requireNonNull(baseUri, "baseUri");
    if (baseUri.getScheme() == null || baseUri.getHost() == null) {
      throw new IllegalArgumentException("baseUri is an absolute http(s) URL");
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    requirePositive(maxRetryTime, "maxRetryTime");
    if (pageLimit < 1 || pageLimit > MAX_PAGE_LIMIT) {
      throw new IllegalArgumentException("pageLimit is between 1 and " + MAX_PAGE_LIMIT);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts is at least 1");
    }
    Objects.requireNonNull(userAgent, "userAgent");
    if (listings < 1 || listings > MAX_LISTINGS) {
      throw new IllegalArgumentException("listings is between 1 and " + MAX_LISTINGS);
    }
    Objects.requireNonNull(listingThreads, "listingThreads");
  }

  /**
   * Production settings against {@code https://api.vapi.ai}, one request at a time; the server
   * lists wide windows with {@link #withListings} two at a time.
   */
  public static VapiClientConfig defaults() {
    return new VapiClientConfig(
        DEFAULT_BASE_URI,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        MAX_PAGE_LIMIT,
        8,
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        Duration.ofMinutes(2),
        "vapi-usage/0.1 (java.net.http)",
        1,
        DaemonThreads.LISTINGS);
  }

  /** The defaults against another base URL, e.g. a {@code VapiSimulator}'s. */
  public static VapiClientConfig forBaseUri(URI baseUri) {
    return defaults().withBaseUri(baseUri);
  }

  public VapiClientConfig withBaseUri(URI uri) {
    return new VapiClientConfig(
        uri,
        connectTimeout,
        requestTimeout,
        pageLimit,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryTime,
        userAgent,
        listings,
        listingThreads);
  }

  public VapiClientConfig withTimeouts(Duration connect, Duration request) {
    return new VapiClientConfig(
        baseUri,
        connect,
        request,
        pageLimit,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryTime,
        userAgent,
        listings,
        listingThreads);
  }

  public VapiClientConfig withPageLimit(int limit) {
    return new VapiClientConfig(
        baseUri,
        connectTimeout,
        requestTimeout,
        limit,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryTime,
        userAgent,
        listings,
        listingThreads);
  }

  /** Retry bounds; tests use small ones so that exhausting them takes milliseconds. */
  public VapiClientConfig withRetry(
      int attempts, Duration firstBackoff, Duration longestBackoff, Duration totalTime) {
    return new VapiClientConfig(
        baseUri,
        connectTimeout,
        requestTimeout,
        pageLimit,
        attempts,
        firstBackoff,
        longestBackoff,
        totalTime,
        userAgent,
        listings,
        listingThreads);
  }

  public VapiClientConfig withListings(int inFlight) {
    return new VapiClientConfig(
        baseUri,
        connectTimeout,
        requestTimeout,
        pageLimit,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryTime,
        userAgent,
        inFlight,
        listingThreads);
  }

  /** Lists on the embedder's threads, e.g. a pool whose threads it names and bounds. */
  public VapiClientConfig withExecutor(Executor executor) {
    return new VapiClientConfig(
        baseUri,
        connectTimeout,
        requestTimeout,
        pageLimit,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        maxRetryTime,
        userAgent,
        listings,
        executor);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " is positive");
    }
  }
}
