package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vapiusage.application.ConnectCommand;
import dev.vapiusage.application.MetricsQuery;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Objects;
import java.util.regex.Pattern;

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

  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private final UseCases useCases;
  private final Clock clock;
  private final RateLimiter<UserId> connectLimiter;

  ApiRoutes(UseCases useCases, Clock clock, RateLimiter<UserId> connectLimiter) {
    this.useCases = Objects.requireNonNull(useCases, "useCases");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.connectLimiter = Objects.requireNonNull(connectLimiter, "connectLimiter");
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
    json(
        ctx, Views.Status.of(useCases.connect().connect(new ConnectCommand(caller.userId(), key))));
  }

  void disconnect(Context ctx, Caller caller) {
    json(ctx, Views.Status.of(useCases.disconnect().disconnect(caller.userId())));
  }

  void status(Context ctx, Caller caller) {
    json(ctx, Views.Status.of(useCases.status().status(caller.userId())));
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
