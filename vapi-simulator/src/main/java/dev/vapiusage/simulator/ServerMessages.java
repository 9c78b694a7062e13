package dev.vapiusage.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Renders Vapi's server messages about a call: {@code end-of-call-report} and {@code
 * status-update}, each {@code {"message": {...}}} with {@code type}, {@code timestamp} (epoch
 * milliseconds) and the {@code call} exactly as {@code GET /call} renders it. A report also repeats
 * the call's {@code endedReason}, {@code cost}, {@code costs}, {@code costBreakdown}, {@code
 * startedAt}, {@code endedAt}, {@code customer}, {@code analysis} and {@code artifact} at its top
 * level, as Vapi does. Immutable and thread-safe.
 */
public final class ServerMessages {
  public static final String END_OF_CALL_REPORT = "end-of-call-report";
  public static final String STATUS_UPDATE = "status-update";

  private static final JsonFactory JSON = new JsonFactory();

  /** The call's fields that a report repeats beside {@code call}, in the call's order. */
  private static final Set<String> REPORT_FIELDS =
      Set.of(
          "endedReason",
          "cost",
          "costs",
          "costBreakdown",
          "startedAt",
          "endedAt",
          "customer",
          "analysis",
          "artifact");

  private final boolean heavyFields;

  private ServerMessages(boolean heavyFields) {
    this.heavyFields = heavyFields;
  }

  /**
   * Messages whose calls carry {@code messages}, {@code artifact} and {@code analysis} when {@code
   * heavyFields}, as a {@link VapiSimulator} with that setting lists them.
   */
  public static ServerMessages withHeavyFields(boolean heavyFields) {
    return new ServerMessages(heavyFields);
  }

  /** The call's {@code end-of-call-report}, sent at {@code timestamp}. */
  public OutgoingMessage endOfCallReport(SimulatedCall call, Instant timestamp) {
    byte[] callJson = callJson(call);
    return render(
        END_OF_CALL_REPORT,
        call,
        timestamp,
        g -> {
          try (JsonParser parser = JSON.createParser(callJson)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String name = parser.getCurrentName();
              parser.nextToken();
              if (REPORT_FIELDS.contains(name)) {
                g.writeFieldName(name);
                g.copyCurrentStructure(parser);
              } else {
                parser.skipChildren();
              }
            }
          }
        },
        callJson);
  }

  /** A {@code status-update} with the call's current {@code status}, sent at {@code timestamp}. */
  public OutgoingMessage statusUpdate(SimulatedCall call, Instant timestamp) {
    Objects.requireNonNull(call.status(), "a status update needs the call's status");
    return render(
        STATUS_UPDATE,
        call,
        timestamp,
        g -> {
          g.writeStringField("status", call.status());
          if ("ended".equals(call.status()) && call.endedReason() != null) {
            g.writeStringField("endedReason", call.endedReason());
          }
        },
        callJson(call));
  }

  /** The call as {@code GET /call/{id}} answers it. */
  byte[] callJson(SimulatedCall call) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      new CallJson(heavyFields).write(g, call);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static OutgoingMessage render(
      String type, SimulatedCall call, Instant timestamp, Fields fields, byte[] callJson) {
    Objects.requireNonNull(timestamp, "timestamp");
    ByteArrayOutputStream out = new ByteArrayOutputStream(callJson.length * 2 + 256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("message");
      g.writeStartObject();
      g.writeStringField("type", type);
      g.writeNumberField("timestamp", timestamp.toEpochMilli());
      fields.write(g);
      g.writeFieldName("call");
      g.writeRawValue(new String(callJson, StandardCharsets.UTF_8));
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new OutgoingMessage(type, call.id(), call.status(), timestamp, out.toByteArray());
  }
}
