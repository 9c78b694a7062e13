package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.CallRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a {@link CallRecord} maps to the columns of {@code usage_call}, shared by both dialects. */
final class StoredCalls {
  /** Every column but user_id, in the order both dialects bind them. */
  static final List<String> COLUMNS =
      List.of(
          "call_id",
          "org_id",
          "created_at",
          "updated_at",
          "started_at",
          "ended_at",
          "duration_us",
          "call_type",
          "status",
          "ended_reason",
          "assistant_id",
          "cost",
          "cost_transport",
          "cost_stt",
          "cost_llm",
          "cost_tts",
          "cost_vapi",
          "cost_analysis",
          "cost_items_digest");

  /** The columns whose change makes a stored call "changed" (all of them but the key). */
  static final List<String> VALUE_COLUMNS = COLUMNS.subList(1, COLUMNS.size());

  private StoredCalls() {}

  /**
   * The batch with each call id once (the latest {@code updatedAt} wins, as a second write would),
   * sorted by id so concurrent writers lock rows in one order and cannot deadlock.
   */
  static List<CallRecord> normalize(List<CallRecord> calls) {
    Map<String, CallRecord> byId = new LinkedHashMap<>(calls.size() * 2);
    for (CallRecord call : calls) {
      byId.merge(call.id(), call, (a, b) -> b.updatedAt().isBefore(a.updatedAt()) ? a : b);
    }
    List<CallRecord> sorted = new ArrayList<>(byId.values());
    sorted.sort(Comparator.comparing(CallRecord::id));
    return sorted;
  }

  static Long durationMicros(CallRecord call) {
    return call.durationMicros().isPresent() ? call.durationMicros().getAsLong() : null;
  }
}
