package dev.vapiusage.adapter.vapi;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.port.AssistantDirectory;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.port.ServerMessageReader;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.TimeField;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link MetricsSource} and {@link AssistantDirectory} that read calls and assistants from
 * Vapi's REST API over {@code java.net.http}; thread-safe, one instance per process is enough.
 */
public final class VapiClient implements MetricsSource, AssistantDirectory {
  /** The most assistants {@code GET /assistant} returns at once. */
  static final int ASSISTANT_PAGE_LIMIT = 1000;

  private final VapiClientConfig config;
  private final Exchange exchange;
  private final CallParser parser = new CallParser();
  private final AssistantParser assistantParser = new AssistantParser();

  public VapiClient(VapiClientConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.exchange = new Exchange(config);
  }

  /**
   * Reads the bodies of Vapi's server messages (what Vapi POSTs to a server URL); needs no
   * configuration. Thread-safe; one instance per process is enough.
   */
  public static ServerMessageReader serverMessageReader() {
    return new ServerMessageParser();
  }

  /** One {@code GET /assistant?limit=1}, not retried: a person is waiting on the answer. */
  @Override
  public void verify(ApiKey apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    exchange.getOnce(
        apiKey,
        "/assistant",
        "limit=1",
        body -> {
          parser.skipArray(body);
          return Boolean.TRUE;
        });
  }

  @Override
  public void stream(ApiKey apiKey, CallWindow window, Consumer<List<CallRecord>> batches) {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(batches, "batches");
    Optional<CallWindow> askable = Timestamps.askable(window);
    if (askable.isEmpty()) {
      // No call can lie outside the instants Vapi can be asked about, so nothing is missed.
      return;
    }
    window = askable.get();
    SlicedListing sliced = new SlicedListing(config.listings(), config.listingThreads());
    if (sliced.slices(window)) {
      sliced.run(new Source(apiKey), config.pageLimit(), window, batches, Instant.now());
    } else {
      new WindowLister(new Source(apiKey), config.pageLimit(), window, batches, Instant.now())
          .run();
    }
  }

  /** Every page of {@code GET /assistant}, retried and failing like a call listing. */
  @Override
  public List<Assistant> assistants(ApiKey apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    AssistantLister.Source pages =
        (from, to, limit) ->
            exchange.get(
                apiKey, "/assistant", assistantQuery(from, to, limit), assistantParser::readArray);
    return new AssistantLister(pages, ASSISTANT_PAGE_LIMIT).run();
  }

  @Override
  public String toString() {
    return "VapiClient[" + config.baseUri() + "]";
  }

  /** Both list routes for one key; the key stays in the {@code Authorization} header only. */
  private final class Source implements WindowLister.Source {
    private final ApiKey key;

    Source(ApiKey key) {
      this.key = key;
    }

    @Override
    public List<CallRecord> list(List<WindowLister.Bound> bounds, int limit) {
      return exchange.get(key, "/call", query(bounds) + "&limit=" + limit, parser::readArray);
    }

    @Override
    public CallParser.V2Page page(List<WindowLister.Bound> bounds, int page, int limit) {
      return exchange.get(
          key,
          "/v2/call",
          query(bounds) + "&sortOrder=ASC&page=" + page + "&limit=" + limit,
          parser::readV2Page);
    }
  }

  private static String query(List<WindowLister.Bound> bounds) {
    StringBuilder query = new StringBuilder();
    for (WindowLister.Bound bound : bounds) {
      String name = bound.field() == TimeField.CREATED_AT ? "createdAt" : "updatedAt";
      if (query.length() > 0) {
        query.append('&');
      }
      query
          .append(name)
          .append("Ge=")
          .append(encode(Timestamps.format(bound.from())))
          .append('&')
          .append(name)
          .append("Lt=")
          .append(encode(Timestamps.format(bound.to())));
    }
    return query.toString();
  }

  private static String assistantQuery(long from, long to, int limit) {
    StringBuilder query = new StringBuilder("limit=").append(limit);
    if (from != AssistantLister.UNBOUNDED_FROM) {
      query.append("&createdAtGe=").append(encode(Timestamps.format(from)));
    }
    if (to != AssistantLister.UNBOUNDED_TO) {
      query.append("&createdAtLt=").append(encode(Timestamps.format(to)));
    }
    return query.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
