package dev.vapiusage.adapter.vapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vapiusage.adapter.vapi.CallParser.CallFields;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.ServerMessageReader;
import dev.vapiusage.domain.push.ServerMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Reads Vapi's server messages ({@code {"message": {"type": …, …}}}) with Jackson's streaming
 * parser. The {@code call} object has the shape of {@code GET /call}'s items and is read by {@link
 * CallParser}; an {@code end-of-call-report}'s own cost, cost items, breakdown, ended reason and
 * times take precedence over the call's. Failures name what is missing, never a value of the body.
 * Thread-safe.
 */
final class ServerMessageParser implements ServerMessageReader {
  static final String END_OF_CALL_REPORT = "end-of-call-report";
  static final String STATUS_UPDATE = "status-update";
  private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000);

  private final JsonFactory factory;

  ServerMessageParser() {
    this(new JsonFactory());
  }

  ServerMessageParser(JsonFactory factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  @Override
  public ServerMessage read(byte[] body) {
    if (body == null || body.length == 0) {
      throw invalid("the body is empty");
    }
    Message message;
    try (JsonParser p = factory.createParser(body)) {
      message = readEnvelope(p);
    } catch (UsageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The parser's own message may quote the body: it stays out, and so does the cause.
      throw invalid("the body is not a JSON object");
    }
    return message.toDomain();
  }

  private static Message readEnvelope(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw invalid("the body is not a JSON object");
    }
    Message message = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken token = p.nextToken();
      if ("message".equals(name) && token == JsonToken.START_OBJECT) {
        message = readMessage(p);
      } else {
        p.skipChildren();
      }
    }
    if (p.nextToken() != null) {
      throw invalid("the body is not a JSON object");
    }
    if (message == null) {
      throw invalid("the body has no message object");
    }
    return message;
  }

  /** The message object's fields, in whatever order they come; the type is weighed at the end. */
  private static Message readMessage(JsonParser p) throws IOException {
    Message m = new Message();
    RepeatedStrings strings = new RepeatedStrings();
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken token = p.nextToken();
      switch (name) {
        case "type":
          m.type = token == JsonToken.VALUE_STRING ? p.getText() : skip(p);
          break;
        case "timestamp":
          m.timestamp = timestamp(p);
          break;
        case "status":
          m.status = CallParser.text(p);
          break;
        case "call":
          m.call = call(p, strings, m);
          break;
        case "cost":
          m.cost = CallParser.decimal(p);
          break;
        case "costs":
          m.costItems = CostItemReader.read(p, strings);
          break;
        case "costBreakdown":
          m.costs = CallParser.costBreakdown(p);
          break;
        case "endedReason":
          m.endedReason = CallParser.text(p);
          break;
        case "startedAt":
          m.startedAt = CallParser.instant(p, false);
          break;
        case "endedAt":
          m.endedAt = CallParser.instant(p, false);
          break;
        default:
          p.skipChildren();
      }
    }
    return m;
  }

  /**
   * The call object; one whose timestamps cannot be read is remembered as unusable rather than
   * failing at once, because messages of the types that are ignored need no call.
   */
  private static CallFields call(JsonParser p, RepeatedStrings strings, Message m)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    try {
      return CallParser.readFields(p, strings);
    } catch (CallParser.MalformedBodyException e) {
      m.callUnreadable = true;
      // The parser stands on the unreadable value, one of the call's own fields: skip to the
      // call's end, so the rest of the message is read as the message.
      for (JsonToken token = p.nextToken(); token != JsonToken.END_OBJECT; token = p.nextToken()) {
        if (token == null) {
          throw invalid("the body is not a JSON object");
        }
        p.skipChildren();
      }
      return null;
    }
  }

  /**
   * Vapi's message timestamp: milliseconds since the epoch as a JSON number (a fraction is kept to
   * the nanosecond), or, in older messages, an ISO-8601 string. Null when it is neither.
   */
  static Instant timestamp(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    try {
      if (token.isNumeric()) {
        return fromEpochMillis(p.getDecimalValue());
      }
      if (token == JsonToken.VALUE_STRING) {
        String text = p.getText().trim();
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
          return fromEpochMillis(new BigDecimal(text));
        }
        return Timestamps.parse(text);
      }
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      return null;
    }
    p.skipChildren();
    return null;
  }

  private static Instant fromEpochMillis(BigDecimal millis) {
    BigDecimal whole = millis.setScale(0, RoundingMode.FLOOR);
    long nanos =
        millis
            .subtract(whole)
            .multiply(NANOS_PER_MILLI)
            .setScale(0, RoundingMode.FLOOR)
            .longValue();
    return Instant.ofEpochMilli(whole.longValueExact()).plusNanos(nanos);
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  private static UsageException invalid(String reason) {
    return UsageException.invalidRequest("Invalid server message: " + reason);
  }

  /** One message's fields as read; null where the message had none. Not thread-safe. */
  private static final class Message {
    String type;
    Instant timestamp;
    String status;
    CallFields call;
    boolean callUnreadable;
    BigDecimal cost;
    List<CostItem> costItems;
    CostComponents costs;
    String endedReason;
    Instant startedAt;
    Instant endedAt;

    ServerMessage toDomain() {
      if (type == null || type.isBlank()) {
        throw invalid("the message has no type");
      }
      switch (type) {
        case END_OF_CALL_REPORT:
          return report();
        case STATUS_UPDATE:
          return statusUpdate();
        default:
          return new ServerMessage.Ignored(type);
      }
    }

    private ServerMessage report() {
      CallFields c = usableCall();
      if (c.updatedAt == null) {
        c.updatedAt = timestamp;
      }
      if (c.updatedAt == null) {
        throw invalid("the report's call has no updatedAt and the message no timestamp");
      }
      if (cost != null) {
        c.cost = cost;
      }
      if (costItems != null) {
        c.costItems = costItems;
      }
      if (costs != null) {
        c.costs = costs;
      }
      if (endedReason != null) {
        c.endedReason = endedReason;
      }
      if (startedAt != null) {
        c.startedAt = startedAt;
      }
      if (endedAt != null) {
        c.endedAt = endedAt;
      }
      if (c.status == null) {
        c.status = "ended";
      }
      return new ServerMessage.CallReport(c.toRecord());
    }

    private ServerMessage statusUpdate() {
      CallFields c = usableCall();
      Instant at = timestamp != null ? timestamp : c.updatedAt;
      if (at == null) {
        throw invalid("the status update has no timestamp and its call no updatedAt");
      }
      if (status != null) {
        c.status = status;
      }
      if (c.status == null) {
        throw invalid("the status update has no status");
      }
      if (c.updatedAt == null) {
        c.updatedAt = at;
      }
      CallRecord call = c.toRecord();
      return new ServerMessage.StatusUpdate(call, at);
    }

    private CallFields usableCall() {
      if (callUnreadable) {
        throw invalid("the message's call has a timestamp that is not ISO-8601");
      }
      if (call == null || call.id == null || call.id.isBlank() || call.createdAt == null) {
        throw invalid("the message has no call with an id and createdAt");
      }
      return call;
    }
  }
}
