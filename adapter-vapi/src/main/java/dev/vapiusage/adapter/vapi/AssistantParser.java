package dev.vapiusage.adapter.vapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code GET /assistant} body, a bare array, keeping each assistant's id, name and creation
 * time; everything else (model, voice, prompts, …) is skipped. Thread-safe.
 */
final class AssistantParser {
  private final JsonFactory factory = new JsonFactory();

  /**
   * One listed assistant; {@code name} is null when it has none, {@code createdAt} when unreadable.
   */
  record Listed(String id, String name, Instant createdAt) {}

  List<Listed> readArray(InputStream in) throws IOException {
    try (JsonParser p = factory.createParser(in)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new CallParser.MalformedBodyException("expected a JSON array of assistants");
      }
      List<Listed> assistants = new ArrayList<>();
      JsonToken token;
      while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.START_OBJECT) {
          throw new CallParser.MalformedBodyException("expected an assistant object");
        }
        assistants.add(readAssistant(p));
      }
      if (p.nextToken() != null) {
        throw new CallParser.MalformedBodyException("unexpected content after the JSON value");
      }
      return assistants;
    }
  }

  private static Listed readAssistant(JsonParser p) throws IOException {
    String id = null;
    String name = null;
    Instant createdAt = null;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken token = p.nextToken();
      switch (field) {
        case "id":
          id = CallParser.text(p);
          break;
        case "name":
          name = token == JsonToken.VALUE_STRING ? p.getText() : CallParser.text(p);
          break;
        case "createdAt":
          createdAt = instant(p);
          break;
        default:
          p.skipChildren();
      }
    }
    if (id == null || id.isBlank()) {
      throw new CallParser.MalformedBodyException("an assistant without its required id");
    }
    // A blank name shows as nothing at all: the same as none, where the id is shown instead.
    return new Listed(id, name == null || name.isBlank() ? null : name, createdAt);
  }

  private static Instant instant(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      p.skipChildren();
      return null;
    }
    try {
      return Timestamps.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    } catch (DateTimeException e) {
      return null;
    }
  }
}
