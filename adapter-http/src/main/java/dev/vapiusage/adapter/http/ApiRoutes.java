package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vapiusage.application.ConnectCommand;
import dev.vapiusage.application.DashboardUsage;
import dev.vapiusage.application.IntegrationStatus;
import dev.vapiusage.application.ListCallsQuery;
import dev.vapiusage.application.MetricsQuery;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallField;
import dev.vapiusage.domain.calls.CallFilter;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.metrics.DailyUsage;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of {@code /api/vapi/**}: they translate HTTP into the use cases' commands and their
 * results into the contract's JSON. Authentication, CSRF and error mapping happen around them, in
 * {@link Guard}.
 */
final class ApiRoutes {
  static final String CONNECT = "/api/vapi/connect";
  static final String METRICS = "/api/vapi/metrics";
  static final String SYNC = "/api/vapi/sync";
  static final String USAGE = "/api/vapi/usage";
  static final String CALLS = "/api/vapi/calls";
  static final String CALLS_EXPORT = "/api/vapi/calls/export";
  static final String CALL = "/api/vapi/calls/{id}";
  static final String USAGE_EXPORT = "/api/vapi/usage/export";
  static final String WEBHOOK_SECRET = "/api/vapi/webhook/secret";

  /** A {@code Host} header fit to put in a URL: a name or address, an optional port. */
  private static final Pattern HOST_HEADER = Pattern.compile("[A-Za-z0-9.\\[\\]:_-]{1,255}");

  private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

  /** The query value that filters for calls without the field. */
  private static final String NULL_FILTER = "null";

  /** Big enough that a socket write carries many rows; the same for every export, however long. */
  private static final int EXPORT_BUFFER_CHARS = 32 * 1024;

  private final UseCases useCases;
  private final Clock clock;
  private final RateLimiter<UserId> connectLimiter;
  private final String base;

  /** {@code base} is where the routes are mounted ("" or a prefix), for the webhook's URL. */
  ApiRoutes(UseCases useCases, Clock clock, RateLimiter<UserId> connectLimiter, String base) {
    this.useCases = Objects.requireNonNull(useCases, "useCases");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.connectLimiter = Objects.requireNonNull(connectLimiter, "connectLimiter");
    this.base = Objects.requireNonNull(base, "base");
  }

  void connect(Context ctx, Caller caller) {
    // Counted before anything else: each attempt may cost a request to Vapi with someone's key.
    connectLimiter.acquire(caller.userId());
    ObjectNode body = Json.parseObject(RequestBody.read(ctx));
    JsonNode apiKey = body.get("apiKey");
    if (apiKey == null || apiKey.isNull()) {
      throw UsageException.invalidRequest("apiKey is required");
    }
    if (!apiKey.isTextual()) {
      throw UsageException.invalidRequest("apiKey must be a string");
    }
    ApiKey key = ApiKey.of(apiKey.textValue());
    status(ctx, caller, useCases.connect().connect(new ConnectCommand(caller.userId(), key)));
  }

  void disconnect(Context ctx, Caller caller) {
    status(ctx, caller, useCases.disconnect().disconnect(caller.userId()));
  }

  void status(Context ctx, Caller caller) {
    status(ctx, caller, useCases.status().status(caller.userId()));
  }

  /** A new webhook secret, which replaces the old one at once; shown only in this answer. */
  void newWebhookSecret(Context ctx, Caller caller) {
    json(ctx, new Views.WebhookSecret(useCases.manageWebhook().newSecret(caller.userId())));
  }

  private void status(Context ctx, Caller caller, IntegrationStatus status) {
    String webhookUrl = null;
    if (status.connected()) {
      String webhookId = useCases.manageWebhook().endpoint(caller.userId()).webhookId();
      webhookUrl = origin(ctx) + base + WebhookRoute.PATH_PREFIX + webhookId;
    }
    json(ctx, Views.Status.of(status, webhookUrl));
  }

  /**
   * This server as the request reached it: its scheme and the {@code Host} header, which {@code
   * ALLOWED_HOSTS} has checked. {@code X-Forwarded-*} headers are not trusted, since any client can
   * send them.
   */
  private static String origin(Context ctx) {
    String host = ctx.header("Host");
    if (host == null || !HOST_HEADER.matcher(host.strip()).matches()) {
      host = ctx.req().getServerName() + ":" + ctx.req().getServerPort();
    }
    return ctx.scheme() + "://" + host.strip();
  }

  void liveMetrics(Context ctx, Caller caller) {
    MetricsQuery query = new MetricsQuery(caller.userId(), rangeFromQuery(ctx));
    json(ctx, Views.Metrics.of(useCases.liveMetrics().fetch(query)));
  }

  void usage(Context ctx, Caller caller) {
    MetricsQuery query = new MetricsQuery(caller.userId(), rangeFromQuery(ctx));
    json(ctx, Views.Usage.of(useCases.dashboardUsage().usage(query)));
  }

  void sync(Context ctx, Caller caller) {
    byte[] raw = RequestBody.read(ctx);
    SyncCommand command;
    if (isBlank(raw)) {
      command = SyncCommand.incremental(caller.userId());
    } else {
      ObjectNode body = Json.parseObject(raw);
      String start = text(body, "startDate", ErrorCode.INVALID_DATE);
      String end = text(body, "endDate", ErrorCode.INVALID_DATE);
      String zone = text(body, "timezone", ErrorCode.INVALID_TIMEZONE);
      if (isAbsent(start) && isAbsent(end)) {
        // A time zone alone names no range: still the incremental sync, as without a body.
        DateRange.parseZone(zone);
        command = SyncCommand.incremental(caller.userId());
      } else {
        command = SyncCommand.ofRange(caller.userId(), resolve(start, end, zone));
      }
    }
    json(ctx, Views.Sync.of(useCases.sync().sync(command)));
  }

  void calls(Context ctx, Caller caller) {
    QueryParams query = QueryParams.parse(ctx.queryString());
    CallQuery calls = callQuery(query);
    int limit = limit(query.single("limit"));
    Optional<String> cursor = Optional.ofNullable(query.single("cursor"));
    ListCallsQuery request = new ListCallsQuery(caller.userId(), calls, limit, cursor);
    json(ctx, Views.CallList.of(useCases.listCalls().list(request)));
  }

  void call(Context ctx, Caller caller) {
    json(ctx, Views.CallDetail.of(useCases.getCall().get(caller.userId(), ctx.pathParam("id"))));
  }

  void exportCalls(Context ctx, Caller caller) throws IOException {
    QueryParams query = QueryParams.parse(ctx.queryString());
    if (query.has("limit") || query.has("cursor")) {
      throw UsageException.invalidRequest(
          "The export holds every call of the range: it takes no limit and no cursor");
    }
    CallExport format = CallExport.named(query.single("format"));
    CallQuery calls = callQuery(query);
    attachment(ctx, format.contentType, "vapi-calls", calls.range(), format.extension);
    if (ctx.method() == HandlerType.HEAD) {
      return;
    }
    stream(
        ctx,
        out -> {
          CallExport.Sink sink = format.open(out);
          useCases
              .exportCalls()
              .export(
                  caller.userId(),
                  calls,
                  view -> {
                    try {
                      sink.write(view);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
          sink.finish();
        });
  }

  void exportUsage(Context ctx, Caller caller) throws IOException {
    QueryParams query = QueryParams.parse(ctx.queryString());
    String format = query.single("format");
    if (format != null && !format.equals("csv")) {
      throw UsageException.invalidRequest("format must be csv");
    }
    DateRange range =
        resolve(query.single("startDate"), query.single("endDate"), query.single("timezone"));
    DashboardUsage usage =
        useCases.dashboardUsage().usage(new MetricsQuery(caller.userId(), range));
    attachment(ctx, CallExport.CSV.contentType, "vapi-usage", range, "csv");
    if (ctx.method() == HandlerType.HEAD) {
      return;
    }
    // At most 366 rows: written at once, but through the same writer as the calls export.
    stream(
        ctx,
        out -> {
          CsvWriter csv = new CsvWriter(out);
          csv.plainRow("date", "calls", "minutes", "cost");
          for (DailyUsage day : usage.metrics().daily()) {
            Views.Day shown = Views.Day.of(day);
            csv.text(shown.date())
                .number(shown.calls())
                .number(shown.minutes())
                .number(shown.cost())
                .endRow();
          }
          csv.flush();
        });
  }

  /** The range and the filters of the calls list and export; each parameter at most once. */
  private CallQuery callQuery(QueryParams query) {
    DateRange range =
        resolve(query.single("startDate"), query.single("endDate"), query.single("timezone"));
    List<CallFilter> filters = new ArrayList<>();
    for (CallField field : CallField.values()) {
      String value = query.single(field.queryName());
      if (value == null) {
        continue;
      }
      if (value.isEmpty()) {
        throw UsageException.invalidRequest(
            field.queryName()
                + " is empty: leave it out for every call, or give null for calls without one");
      }
      filters.add(new CallFilter(field, value.equals(NULL_FILTER) ? null : value));
    }
    return new CallQuery(range, filters);
  }

  private static int limit(String text) {
    if (text == null) {
      return ListCallsQuery.DEFAULT_LIMIT;
    }
    if (!WHOLE_NUMBER.matcher(text).matches()) {
      throw UsageException.invalidRequest(
          "limit must be a whole number from 1 to " + ListCallsQuery.MAX_LIMIT);
    }
    // The range check is the query's own.
    return Integer.parseInt(text);
  }

  private static void attachment(
      Context ctx, String contentType, String name, DateRange range, String extension) {
    ctx.status(200)
        .contentType(contentType)
        .header(
            "Content-Disposition",
            "attachment; filename=\""
                + name
                + "-"
                + range.start()
                + "-"
                + range.end()
                + "."
                + extension
                + "\"");
  }

  /** What writes a body to the response as it goes. */
  @FunctionalInterface
  private interface Body {
    void write(Writer out) throws IOException;
  }

  /**
   * Writes the body straight to the response, so memory does not grow with its length. It goes to
   * the servlet's stream rather than Javalin's compressing one: that one decides on its first write
   * and cannot take it back, so a failure before anything was sent could not become a clean error.
   * Once the first bytes are sent the status cannot change any more: a failure then aborts the
   * response, so the client sees a broken transfer instead of a file that looks complete.
   */
  private static void stream(Context ctx, Body body) throws IOException {
    try {
      Writer out =
          new BufferedWriter(
              new OutputStreamWriter(ctx.res().getOutputStream(), StandardCharsets.UTF_8),
              EXPORT_BUFFER_CHARS);
      body.write(out);
      out.flush();
    } catch (IOException | RuntimeException e) {
      if (!ctx.res().isCommitted()) {
        // Nothing sent yet: drop the attachment's headers and answer with the contract's error.
        ctx.res().reset();
        SecurityHeaders.apply(ctx);
        throw e;
      }
      if (e instanceof IOException || e instanceof UncheckedIOException) {
        // Mostly a client that went away mid-download.
        LOG.debug("{} {} stopped writing: {}", ctx.method().name(), ctx.path(), e.getClass());
      } else {
        LOG.error(
            "{} {} failed while streaming", ctx.method().name(), ctx.path(), Redacted.copyOf(e));
      }
      Request.getBaseRequest(ctx.req()).getHttpChannel().abort(e);
    }
  }

  private DateRange rangeFromQuery(Context ctx) {
    QueryParams query = QueryParams.parse(ctx.queryString());
    return resolve(query.get("startDate"), query.get("endDate"), query.get("timezone"));
  }

  /**
   * The contract's dates are exactly {@code YYYY-MM-DD}. Java also reads signed years of up to nine
   * digits, whose day after overflows; those are refused here as {@code invalid_date}.
   */
  private DateRange resolve(String start, String end, String zone) {
    requireDateShape(start, "startDate");
    requireDateShape(end, "endDate");
    return DateRange.resolve(start, end, zone, clock);
  }

  private static void requireDateShape(String text, String name) {
    if (!isAbsent(text) && !DATE.matcher(text.strip()).matches()) {
      throw new UsageException(
          ErrorCode.INVALID_DATE, name + " is not a date of the form YYYY-MM-DD");
    }
  }

  /** A string field, or null when absent or JSON null; any other type fails with {@code code}. */
  private static String text(ObjectNode body, String field, ErrorCode code) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new UsageException(
          code,
          code == ErrorCode.INVALID_TIMEZONE
              ? field + " must be an IANA time zone name"
              : field + " is not a date of the form YYYY-MM-DD");
    }
    return node.textValue();
  }

  private static boolean isAbsent(String text) {
    return text == null || text.isBlank();
  }

  private static boolean isBlank(byte[] raw) {
    for (byte b : raw) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static void json(Context ctx, Object view) {
    ctx.status(200).contentType(Json.CONTENT_TYPE).result(Json.bytes(view));
  }
}
