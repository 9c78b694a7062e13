package dev.vapiusage.adapter.vapi;

import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.assistants.Assistant;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists every assistant of an account through {@code GET /assistant}, which returns at most {@code
 * limit} of them with no page token and no documented order.
 *
 * <p>As with calls, only a response shorter than {@code limit} proves that it holds every assistant
 * of its creation range. A full page sorted newest first (what Vapi does) is continued below its
 * oldest millisecond, that millisecond included, so ties across the page boundary are read again
 * and de-duplicated by id; oldest first is continued above its newest; a page in any other order
 * splits its range at its median creation time. Only more than {@code limit} assistants created in
 * one millisecond cannot be listed, and then the listing fails rather than return part of them. Not
 * thread-safe: one instance per listing.
 */
final class AssistantLister {
  /** No bound on that side: the request leaves the parameter out. */
  static final long UNBOUNDED_FROM = Long.MIN_VALUE;

  static final long UNBOUNDED_TO = Long.MAX_VALUE;

  /** Where pages come from: assistants created in {@code [from, to)} (milliseconds). */
  interface Source {
    List<AssistantParser.Listed> list(long from, long to, int limit);
  }

  private final Source source;
  private final int limit;

  AssistantLister(Source source, int limit) {
    this.source = source;
    this.limit = limit;
  }

  List<Assistant> run() {
    Map<String, Assistant> byId = new LinkedHashMap<>();
    Deque<long[]> ranges = new ArrayDeque<>();
    ranges.push(new long[] {UNBOUNDED_FROM, UNBOUNDED_TO});
    while (!ranges.isEmpty()) {
      long[] range = ranges.pop();
      long from = range[0];
      long to = range[1];
      List<AssistantParser.Listed> page = source.list(from, to, limit);
      for (AssistantParser.Listed listed : page) {
        byId.putIfAbsent(listed.id(), new Assistant(listed.id(), listed.name()));
      }
      if (page.size() < limit) {
        continue;
      }
      long[] times = createdMillis(page);
      int last = times.length - 1;
      if (isSorted(times, true) && times[last] + 1 < to) {
        ranges.push(new long[] {from, times[last] + 1});
      } else if (isSorted(times, false) && times[last] > from) {
        ranges.push(new long[] {times[last], to});
      } else {
        split(ranges, from, to, times);
      }
    }
    return new ArrayList<>(byId.values());
  }

  /** Splits a range whose full page had no usable order at the page's median creation time. */
  private void split(Deque<long[]> ranges, long from, long to, long[] times) {
    if (from != UNBOUNDED_FROM && to != UNBOUNDED_TO && to - from <= 1) {
      throw UsageException.vapiUnavailable(
          "more than "
              + limit
              + " assistants share createdAt "
              + Timestamps.format(from)
              + ", and GET /assistant cannot page through them");
    }
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    long middle = Math.max(from + 1, Math.min(to - 1, sorted[sorted.length / 2]));
    ranges.push(new long[] {middle, to});
    ranges.push(new long[] {from, middle});
  }

  private long[] createdMillis(List<AssistantParser.Listed> page) {
    long[] times = new long[page.size()];
    for (int i = 0; i < times.length; i++) {
      Instant createdAt = page.get(i).createdAt();
      if (createdAt == null) {
        throw UsageException.vapiUnavailable(
            "GET /assistant returned a full page with an assistant without createdAt");
      }
      times[i] = createdAt.toEpochMilli();
    }
    return times;
  }

  private static boolean isSorted(long[] times, boolean descending) {
    for (int i = 1; i < times.length; i++) {
      if (descending ? times[i] > times[i - 1] : times[i] < times[i - 1]) {
        return false;
      }
    }
    return true;
  }
}
