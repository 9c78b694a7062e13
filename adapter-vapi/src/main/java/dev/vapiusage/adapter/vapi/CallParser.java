package dev.vapiusage.adapter.vapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Vapi's call JSON with Jackson's streaming parser, mapping only what usage metrics and the
 * call detail need ({@code costs[]} through {@link CostItemReader}). Heavy fields ({@code
 * messages}, {@code artifact}, …) are skipped token by token and never built; money goes from the
 * JSON text straight to {@code BigDecimal}. Thread-safe.
 */
final class CallParser {
  private final JsonFactory factory;

  CallParser() {
    this(new JsonFactory());
  }

  CallParser(JsonFactory factory) {
    this.factory = factory;
  }

  /** A whole {@code GET /call} body: a bare array; anything short of a complete one throws. */
  List<CallRecord> readArray(InputStream in) throws IOException {
    try (JsonParser p = factory.createParser(in)) {
      List<CallRecord> calls = new ArrayList<>();
      readArray(p, calls);
      expectEndOfInput(p);
      return calls;
    }
  }

  /** A whole {@code GET /v2/call} body: {@code {"results": [...], "metadata": {...}}}. */
  V2Page readV2Page(InputStream in) throws IOException {
    try (JsonParser p = factory.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedBodyException("expected a paginated object");
      }
      List<CallRecord> calls = null;
      long totalItems = -1;
      Boolean hasNextPage = null;
      String name;
      while ((name = p.nextFieldName()) != null) {
        p.nextToken();
        if ("results".equals(name)) {
          calls = new ArrayList<>();
          readArray(p, calls);
        } else if ("metadata".equals(name) && p.currentToken() == JsonToken.START_OBJECT) {
          String field;
          while ((field = p.nextFieldName()) != null) {
            JsonToken token = p.nextToken();
            if ("totalItems".equals(field) && token.isNumeric()) {
              totalItems = p.getLongValue();
            } else if ("hasNextPage".equals(field) && token.isBoolean()) {
              hasNextPage = p.getBooleanValue();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      expectEndOfInput(p);
      if (calls == null || totalItems < 0) {
        throw new MalformedBodyException("a paginated response without results or totalItems");
      }
      return new V2Page(calls, totalItems, hasNextPage);
    }
  }

  /** Checks that a body is one complete JSON array, without building anything. */
  void skipArray(InputStream in) throws IOException {
    try (JsonParser p = factory.createParser(in)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new MalformedBodyException("expected a JSON array");
      }
      p.skipChildren();
      expectEndOfInput(p);
    }
  }

  private void readArray(JsonParser p, List<CallRecord> into) throws IOException {
    RepeatedStrings strings = new RepeatedStrings();
    if (p.currentToken() == null) {
      p.nextToken();
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new MalformedBodyException("expected a JSON array of calls");
    }
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_OBJECT) {
        throw new MalformedBodyException("expected a call object");
      }
      into.add(readCall(p, strings));
    }
  }

  /** One call object; the parser stands on its {@code START_OBJECT} and ends on its end. */
  private static CallRecord readCall(JsonParser p, RepeatedStrings strings) throws IOException {
    CallFields call = readFields(p, strings);
    if (call.id == null || call.id.isBlank() || call.createdAt == null || call.updatedAt == null) {
      throw new MalformedBodyException("a call without its required id, createdAt or updatedAt");
    }
    return call.toRecord();
  }

  /**
   * The fields of one call object as they came, none required; the parser stands on its {@code
   * START_OBJECT} and ends on its end. A server message's call is read this way, then completed
   * from the message.
   */
  static CallFields readFields(JsonParser p, RepeatedStrings strings) throws IOException {
    CallFields call = new CallFields();
    String name;
    while ((name = p.nextFieldName()) != null) {
      p.nextToken();
      switch (name) {
        case "id":
          call.id = text(p);
          break;
        case "orgId":
          call.orgId = strings.text(p);
          break;
        case "type":
          call.type = strings.text(p);
          break;
        case "status":
          call.status = strings.text(p);
          break;
        case "endedReason":
          call.endedReason = strings.text(p);
          break;
        case "assistantId":
          call.assistantId = strings.text(p);
          break;
        case "createdAt":
          call.createdAt = instant(p, true);
          break;
        case "updatedAt":
          call.updatedAt = instant(p, true);
          break;
        case "startedAt":
          call.startedAt = instant(p, false);
          break;
        case "endedAt":
          call.endedAt = instant(p, false);
          break;
        case "cost":
          call.cost = decimal(p);
          break;
        case "costBreakdown":
          call.costs = costBreakdown(p);
          break;
        case "costs":
          call.costItems = CostItemReader.read(p, strings);
          break;
        default:
          p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new MalformedBodyException("a call object is not closed");
    }
    return call;
  }

  /** A call's fields while they are read; null where the JSON had none. Not thread-safe. */
  static final class CallFields {
    String id;
    String orgId;
    String type;
    String status;
    String endedReason;
    String assistantId;
    Instant createdAt;
    Instant updatedAt;
    Instant startedAt;
    Instant endedAt;
    BigDecimal cost;
    CostComponents costs;
    List<CostItem> costItems;

    /** The call; id, createdAt and updatedAt must be set. */
    CallRecord toRecord() {
      return new CallRecord(
          id,
          orgId,
          createdAt,
          updatedAt,
          startedAt,
          endedAt,
          type,
          status,
          endedReason,
          assistantId,
          cost,
          costs,
          costItems);
    }
  }

  static CostComponents costBreakdown(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    BigDecimal transport = null;
    BigDecimal stt = null;
    BigDecimal llm = null;
    BigDecimal tts = null;
    BigDecimal vapi = null;
    BigDecimal analysis = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      p.nextToken();
      switch (name) {
        case "transport":
          transport = decimal(p);
          break;
        case "stt":
          stt = decimal(p);
          break;
        case "llm":
          llm = decimal(p);
          break;
        case "tts":
          tts = decimal(p);
          break;
        case "vapi":
          vapi = decimal(p);
          break;
        case "analysisCostBreakdown":
          analysis = analysisCost(p);
          break;
        default:
          p.skipChildren();
      }
    }
    return new CostComponents(transport, stt, llm, tts, vapi, analysis);
  }

  /**
   * Every cost in {@code analysisCostBreakdown}: its fields are costs and token counts, and new
   * analysis kinds keep arriving, so anything numeric not named {@code …Tokens} counts as a cost.
   */
  private static BigDecimal analysisCost(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    BigDecimal sum = BigDecimal.ZERO;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken token = p.nextToken();
      if (token.isNumeric() && !name.endsWith("Tokens")) {
        sum = sum.add(p.getDecimalValue());
      } else {
        p.skipChildren();
      }
    }
    return sum;
  }

  static String text(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token.isScalarValue()) {
      return token == JsonToken.VALUE_NULL ? null : p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** Exact: a JSON number's own digits, never a {@code double} in between. */
  static BigDecimal decimal(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token.isNumeric()) {
      return p.getDecimalValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return new BigDecimal(p.getText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    p.skipChildren();
    return null;
  }

  static Instant instant(JsonParser p, boolean required) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      try {
        return Timestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
      } catch (DateTimeException e) {
        if (required) {
          throw new MalformedBodyException("a call timestamp is not ISO-8601");
        }
        return null;
      }
    }
    p.skipChildren();
    return null;
  }

  private static void expectEndOfInput(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw new MalformedBodyException("unexpected content after the JSON value");
    }
  }

  /** A body that is complete at the HTTP level but is not what Vapi's API returns. */
  static final class MalformedBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedBodyException(String message) {
      super(message);
    }
  }

  /** One page of {@code GET /v2/call}; {@code hasNextPage} is null when Vapi left it out. */
  record V2Page(List<CallRecord> calls, long totalItems, Boolean hasNextPage) {}
}
