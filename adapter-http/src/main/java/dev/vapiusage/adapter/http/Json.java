package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vapiusage.domain.UsageException;
import java.io.IOException;
import java.io.Writer;

/** Reading request bodies and writing response bodies; the adapter's only JSON configuration. */
final class Json {
  static final String CONTENT_TYPE = "application/json";

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** Writes one value of a stream: the caller flushes once, not after every value. */
  private static final ObjectWriter STREAM_WRITER =
      MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private Json() {}

  /**
   * A generator for values one per line (NDJSON) that leaves the writer open: the response's stream
   * is closed by the server.
   */
  static JsonGenerator lineGenerator(Writer out) throws IOException {
    JsonGenerator generator = MAPPER.getFactory().createGenerator(out);
    generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    generator.setRootValueSeparator(null);
    return generator;
  }

  /** One view of {@link Views} and a line feed. */
  static void writeLine(JsonGenerator generator, Object value) throws IOException {
    STREAM_WRITER.writeValue(generator, value);
    generator.writeRaw('\n');
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A tree or one of the records of {@link Views}, which always serialise. */
  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("A JSON tree or view always serialises", e);
    }
  }

  static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  /**
   * Parses a body that must be one JSON object; anything else (not JSON, an array, a string, an
   * empty body) is the caller's mistake.
   */
  static ObjectNode parseObject(byte[] body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw UsageException.invalidRequest("The request body is not valid JSON");
    } catch (IOException e) {
      throw UsageException.invalidRequest("The request body could not be read");
    }
    if (node == null || !node.isObject()) {
      throw UsageException.invalidRequest("The request body must be a JSON object");
    }
    return (ObjectNode) node;
  }
}
