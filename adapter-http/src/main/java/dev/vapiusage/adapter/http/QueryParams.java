package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UsageException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes a raw query string or form body leniently: the first value of a name wins, and a broken
 * percent-escape is a {@code 400 invalid_request} instead of the exception Javalin's own parser
 * lets through as a 500.
 */
final class QueryParams {
  private static final int MAX_PAIRS = 64;

  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  static QueryParams parse(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return new QueryParams(values);
    }
    int pairs = 0;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      if (++pairs > MAX_PAIRS) {
        throw UsageException.invalidRequest("Too many parameters");
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      values.putIfAbsent(name, value);
    }
    return new QueryParams(values);
  }

  /** The value of a name, or null when absent. */
  String get(String name) {
    return values.get(name);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw UsageException.invalidRequest("The query or form contains a malformed escape");
    }
  }
}
