package dev.vapiusage.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Vapi's rules for query parameters, answered as its NestJS validator does: a 400 listing every
 * problem, for an unknown parameter, a time bound that is not ISO 8601 with a four-digit year, or a
 * {@code limit} above 1000.
 */
final class VapiParameterRules {
  static final int MAX_LIMIT = 1000;
  static final int DEFAULT_LIMIT = 100;
  static final Set<String> CALL_PARAMS = Set.of("id", "assistantId", "phoneNumberId", "limit");
  static final Set<String> V2_PARAMS =
      Set.of("id", "assistantId", "phoneNumberId", "limit", "page", "sortOrder");
  static final Set<String> ASSISTANT_PARAMS = Set.of("limit");

  /** A route that takes no parameters at all, time bounds included. */
  static final Set<String> NONE = Set.of();

  private static final Pattern FOUR_DIGIT_YEAR = Pattern.compile("[0-9]{4}-");
  private static final List<String> TIME_BOUNDS =
      List.of(
          "createdAtGt",
          "createdAtLt",
          "createdAtGe",
          "createdAtLe",
          "updatedAtGt",
          "updatedAtLt",
          "updatedAtGe",
          "updatedAtLe");

  private VapiParameterRules() {}

  /**
   * Checks a route's query: {@code allowed} names its own parameters, besides which the time bounds
   * are allowed unless it allows nothing. Returns the time bounds by name.
   */
  static Map<String, Instant> validate(Map<String, String> query, Set<String> allowed)
      throws Rejection {
    List<String> problems = new ArrayList<>();
    Map<String, Instant> bounds = new LinkedHashMap<>();
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      String name = parameter.getKey();
      if (allowed.contains(name)) {
        continue;
      }
      if (allowed.isEmpty() || !TIME_BOUNDS.contains(name)) {
        problems.add("property " + name + " should not exist");
        continue;
      }
      try {
        // Vapi's validator takes four-digit years only; Java's parser would also read +10000-01-01.
        if (!FOUR_DIGIT_YEAR.matcher(parameter.getValue()).lookingAt()) {
          throw new DateTimeParseException("not a four-digit year", parameter.getValue(), 0);
        }
        bounds.put(
            name,
            ZonedDateTime.parse(parameter.getValue(), DateTimeFormatter.ISO_DATE_TIME).toInstant());
      } catch (DateTimeParseException e) {
        problems.add(name + " must be a valid ISO 8601 date string");
      }
    }
    String limit = query.get("limit");
    if (limit != null && allowed.contains("limit")) {
      try {
        double value = Double.parseDouble(limit);
        if (value > MAX_LIMIT) {
          problems.add("limit must not be greater than " + MAX_LIMIT);
        } else if (value < 0) {
          problems.add("limit must not be less than 0");
        }
      } catch (NumberFormatException e) {
        problems.add("limit must be a number conforming to the specified constraints");
      }
    }
    if (!problems.isEmpty()) {
      throw new Rejection(400, "Bad Request", problems);
    }
    return bounds;
  }

  static int limit(Map<String, String> query) throws Rejection {
    return number(query, "limit", DEFAULT_LIMIT, 0, MAX_LIMIT);
  }

  static int page(Map<String, String> query) throws Rejection {
    return number(query, "page", 1, 1, Integer.MAX_VALUE);
  }

  /** {@code ASC} or {@code DESC}, the latter by default. */
  static String sortOrder(Map<String, String> query) throws Rejection {
    String sortOrder = query.getOrDefault("sortOrder", "DESC");
    if (!sortOrder.equals("ASC") && !sortOrder.equals("DESC")) {
      throw Rejection.badRequest("sortOrder must be one of the following values: ASC, DESC");
    }
    return sortOrder;
  }

  private static int number(Map<String, String> query, String name, int fallback, int min, int max)
      throws Rejection {
    String text = query.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text);
      if (value < min || value > max) {
        throw new Rejection(
            400, "Bad Request", List.of(name + " must be between " + min + " and " + max));
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw new Rejection(
          400,
          "Bad Request",
          List.of(name + " must be a number conforming to the specified constraints"));
    }
  }

  /** The parameters of a raw query string, decoded; a malformed escape is a 400. */
  static Map<String, String> decode(String rawQuery) throws Rejection {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        query.put(name, value);
      } catch (IllegalArgumentException e) {
        throw new Rejection(400, "Bad Request", List.of("malformed query string"));
      }
    }
    return query;
  }
}
