package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.UsageException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a raw query string or form body leniently: the first value of a name wins (unless the
 * caller asks for {@link #single}), and a broken percent-escape is a {@code 400 invalid_request}
 * instead of the exception Javalin's own parser lets through as a 500.
 */
final class QueryParams {
  private static final int MAX_PAIRS = 64;

  private final Map<String, String> values;
  private final Set<String> repeated;

  private QueryParams(Map<String, String> values, Set<String> repeated) {
    this.values = values;
    this.repeated = repeated;
  }

  static QueryParams parse(String raw) {
    Map<String, String> values = new HashMap<>();
    Set<String> repeated = new HashSet<>();
    if (raw == null || raw.isEmpty()) {
      return new QueryParams(values, repeated);
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
      if (values.putIfAbsent(name, value) != null) {
        repeated.add(name);
      }
    }
    return new QueryParams(values, repeated);
  }

  /** The value of a name, or null when absent. */
  String get(String name) {
    return values.get(name);
  }

  /**
   * The value of a name given at most once, or null when absent: where two values would have two
   * meanings (two filters, two limits), the request is refused rather than one silently chosen.
   */
  String single(String name) {
    if (repeated.contains(name)) {
      throw UsageException.invalidRequest(name + " is given more than once");
    }
    return values.get(name);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw UsageException.invalidRequest("The query or form contains a malformed escape");
    }
  }
}
