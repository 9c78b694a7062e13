package dev.vapiusage.adapter.vapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.vapiusage.domain.CostItem;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a call's {@code costs[]} into flat {@link CostItem}s. Vapi adds item types and fields over
 * time, so nothing in an item is required but its {@code type}: unknown types are kept with what
 * they share with the known ones, missing or mistyped fields become null. Stateless.
 */
final class CostItemReader {
  private CostItemReader() {}

  /** The parser stands on the value of {@code costs}; it ends on that value's last token. */
  static List<CostItem> read(JsonParser p, RepeatedStrings strings) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return List.of();
    }
    List<CostItem> items = new ArrayList<>(8);
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw new CallParser.MalformedBodyException("a costs array is not closed");
      }
      if (token == JsonToken.START_OBJECT) {
        CostItem item = item(p, strings);
        if (item != null) {
          items.add(item);
        }
      } else {
        p.skipChildren();
      }
    }
    return items;
  }

  /**
   * One item; null without a {@code type}, the discriminator every item of Vapi's schema has, since
   * such an item cannot be named or grouped.
   */
  private static CostItem item(JsonParser p, RepeatedStrings strings) throws IOException {
    String type = null;
    BigDecimal cost = null;
    BigDecimal minutes = null;
    Long characters = null;
    Long promptTokens = null;
    Long completionTokens = null;
    String provider = null;
    String model = null;
    String voiceId = null;
    // The item's own fields win over those of its config object; Vapi never sends both today.
    Config config = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken token = p.nextToken();
      switch (name) {
        case "type":
          type = token == JsonToken.VALUE_STRING ? strings.text(p) : skip(p);
          break;
        case "cost":
          cost = CallParser.decimal(p);
          break;
        case "minutes":
          minutes = CallParser.decimal(p);
          break;
        case "characters":
          characters = whole(p);
          break;
        case "promptTokens":
          promptTokens = whole(p);
          break;
        case "completionTokens":
          completionTokens = whole(p);
          break;
        case "provider":
          provider = strings.text(p);
          break;
        case "voiceId":
          voiceId = strings.text(p);
          break;
        case "model":
          // voicemail-detection names its model as a string, the others as a config object.
          if (token == JsonToken.START_OBJECT) {
            config = Config.read(p, strings, config);
          } else {
            model = strings.text(p);
          }
          break;
        case "voice":
        case "transcriber":
          if (token == JsonToken.START_OBJECT) {
            config = Config.read(p, strings, config);
          } else {
            p.skipChildren();
          }
          break;
        default:
          p.skipChildren();
      }
    }
    if (type == null) {
      return null;
    }
    if (config != null) {
      provider = provider != null ? provider : config.provider;
      model = model != null ? model : config.model;
      voiceId = voiceId != null ? voiceId : config.voiceId;
    }
    return new CostItem(
        type, cost, provider, model, voiceId, minutes, characters, promptTokens, completionTokens);
  }

  /**
   * A count: an integer, or a number with no fraction; null for anything else, including counts
   * beyond a {@code long}.
   */
  private static Long whole(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType type = p.getNumberType();
      return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG
          ? p.getLongValue()
          : null;
    }
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      try {
        return p.getDecimalValue().longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    p.skipChildren();
    return null;
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  /** What an item's {@code model}, {@code voice} or {@code transcriber} object names. */
  private static final class Config {
    String provider;
    String model;
    String voiceId;

    /** Reads one config object into {@code into} (or a new one); the first value of each wins. */
    static Config read(JsonParser p, RepeatedStrings strings, Config into) throws IOException {
      Config config = into == null ? new Config() : into;
      String name;
      while ((name = p.nextFieldName()) != null) {
        p.nextToken();
        switch (name) {
          case "provider":
            config.provider = first(config.provider, strings.text(p));
            break;
          case "model":
            config.model = first(config.model, strings.text(p));
            break;
          case "voiceId":
            config.voiceId = first(config.voiceId, strings.text(p));
            break;
          default:
            p.skipChildren();
        }
      }
      return config;
    }

    private static String first(String current, String next) {
      return current != null ? current : next;
    }
  }
}
