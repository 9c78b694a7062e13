package dev.vapiusage.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * The filters of {@code GET /call} (and {@code /v2/call}) as millisecond ranges. Vapi keeps
 * milliseconds, so every bound, even one with finer digits, becomes an exact half-open range of
 * whole milliseconds.
 */
final class CallQuery {
  final String id;
  final String assistantId;
  final String phoneNumberId;
  final long createdFrom;
  final long createdTo;
  final long updatedFrom;
  final long updatedTo;

  CallQuery(
      String id,
      String assistantId,
      String phoneNumberId,
      long createdFrom,
      long createdTo,
      long updatedFrom,
      long updatedTo) {
    this.id = id;
    this.assistantId = assistantId;
    this.phoneNumberId = phoneNumberId;
    this.createdFrom = createdFrom;
    this.createdTo = createdTo;
    this.updatedFrom = updatedFrom;
    this.updatedTo = updatedTo;
  }

  static CallQuery all() {
    return new CallQuery(
        null, null, null, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** From validated parameters; the bounds are already {@code Instant}s. */
  static CallQuery of(Map<String, String> text, Map<String, Instant> bounds) {
    return new CallQuery(
        text.get("id"),
        text.get("assistantId"),
        text.get("phoneNumberId"),
        lower(bounds.get("createdAtGt"), bounds.get("createdAtGe")),
        upper(bounds.get("createdAtLt"), bounds.get("createdAtLe")),
        lower(bounds.get("updatedAtGt"), bounds.get("updatedAtGe")),
        upper(bounds.get("updatedAtLt"), bounds.get("updatedAtLe")));
  }

  boolean matches(SimulatedCall call) {
    long created = call.createdAt().toEpochMilli();
    long updated = call.updatedAt().toEpochMilli();
    return created >= createdFrom
        && created < createdTo
        && updated >= updatedFrom
        && updated < updatedTo
        && (id == null || id.equals(call.id()))
        && (assistantId == null || assistantId.equals(call.assistantId()))
        && (phoneNumberId == null || phoneNumberId.equals(call.phoneNumberId()));
  }

  /** The first millisecond the lower bounds allow. */
  private static long lower(Instant greater, Instant greaterOrEqual) {
    long bound = Long.MIN_VALUE;
    if (greater != null) {
      bound = Math.max(bound, floorMillis(greater) + 1);
    }
    if (greaterOrEqual != null) {
      bound = Math.max(bound, ceilMillis(greaterOrEqual));
    }
    return bound;
  }

  /** The first millisecond the upper bounds exclude. */
  private static long upper(Instant less, Instant lessOrEqual) {
    long bound = Long.MAX_VALUE;
    if (less != null) {
      bound = Math.min(bound, ceilMillis(less));
    }
    if (lessOrEqual != null) {
      bound = Math.min(bound, floorMillis(lessOrEqual) + 1);
    }
    return bound;
  }

  private static long floorMillis(Instant instant) {
    return instant.toEpochMilli();
  }

  private static long ceilMillis(Instant instant) {
    return instant.getNano() % 1_000_000 == 0 ? instant.toEpochMilli() : instant.toEpochMilli() + 1;
  }
}
