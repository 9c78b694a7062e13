package dev.vapiusage.adapter.vapi;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.TimeField;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists one window completely through {@code GET /call}, which returns at most {@code limit} calls
 * in no documented order and with no page token.
 *
 * <p>Only a response with fewer than {@code limit} calls proves that it holds every call of its
 * part, so the window is swept in parts sized from the density seen so far, and a part that comes
 * back full is split (by time) and asked again; a millisecond that dominates a full page is cut out
 * at once. One millisecond that still comes back full is swept on the other timestamp ({@code
 * updatedAt} for a {@code createdAt} window and vice versa); a cell where both timestamps share one
 * millisecond is paged through {@code GET /v2/call} until its {@code totalItems} are all seen.
 * Where that route is missing the listing fails instead of silently losing calls.
 *
 * <p>Not thread-safe: one instance per listing.
 */
final class WindowLister {
  private static final Logger log = LoggerFactory.getLogger(VapiClient.class);

  /** The widest range a secondary sweep covers; Vapi's timestamps all lie inside it. */
  static final long EARLIEST = 0L;

  static final long LATEST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

  /**
   * Calls whose windowed time is this recent may change (and so move between parts) while the
   * listing runs; only their ids are remembered for de-duplication, which keeps memory flat.
   */
  static final Duration MUTABLE_ZONE = Duration.ofMinutes(10);

  private static final int V2_PASSES = 3;

  /** Where pages come from: {@code GET /call} and {@code GET /v2/call} with time bounds. */
  interface Source {
    List<CallRecord> list(List<Bound> bounds, int limit);

    CallParser.V2Page page(List<Bound> bounds, int page, int limit);
  }

  /** A half-open millisecond range {@code [from, to)} on one timestamp. */
  record Bound(TimeField field, long from, long to) {}

  private final Source source;
  private final int limit;
  private final long maxTarget;
  private final CallWindow window;
  private final Consumer<List<CallRecord>> sink;
  private final long mutableFrom;
  private final Set<String> recentIds = new HashSet<>();
  private long target;
  private long requests;
  private long fullPages;
  private long delivered;
  private long dropped;

  WindowLister(
      Source source, int limit, CallWindow window, Consumer<List<CallRecord>> sink, Instant now) {
    this.source = source;
    this.limit = limit;
    // Parts aim at 75% of the limit, less after a part came back full: a full part costs a
    // whole wasted page, an emptier one only a little more per-request overhead.
    this.maxTarget = Math.max(1, limit * 3L / 4);
    this.target = maxTarget;
    this.window = window;
    this.sink = sink;
    this.mutableFrom = now.minus(MUTABLE_ZONE).toEpochMilli();
  }

  void run() {
    long from = Timestamps.ceilMillis(window.from());
    long to = Timestamps.ceilMillis(window.to());
    if (from < to) {
      sweep(List.of(), window.field(), from, to);
    }
    log.debug(
        "Listed {} calls of {} in {} requests ({} full, {} dropped as duplicates or outside)",
        delivered,
        window,
        requests,
        fullPages,
        dropped);
  }

  private void sweep(List<Bound> fixed, TimeField field, long from, long to) {
    long cursor = from;
    long step = to - from;
    long lastComplete = 0;
    while (cursor < to) {
      long end = cursor + Math.min(step, to - cursor);
      long width = end - cursor;
      List<Bound> bounds = with(fixed, new Bound(field, cursor, end));
      List<CallRecord> page = source.list(bounds, limit);
      requests++;
      if (page.size() < limit) {
        deliver(page, bounds);
        target = Math.min(maxTarget, target + Math.max(1, limit / 100));
        step = grow(page, field, cursor, end);
        lastComplete = width;
        cursor = end;
      } else {
        fullPages++;
        target = Math.max(Math.max(1, limit / 4), target * 4 / 5);
        if (width > 1) {
          step = shrink(width, page, field, cursor, end);
        } else {
          if (fixed.isEmpty()) {
            sweepOtherField(bounds, other(field), page);
          } else {
            pageThrough(bounds);
          }
          cursor = end;
          // Back to the width that last worked rather than creeping up from one millisecond.
          step = Math.max(1, lastComplete);
        }
      }
    }
  }

  /**
   * After a complete part: the width that should hold about {@code target} calls, at most twice the
   * last (eight times after an empty one). The density is read from the part's second half and,
   * when it rises, extrapolated from the first half to the next part's middle (never below the
   * part's average): daily rhythms make a plain average overshoot every morning.
   */
  private long grow(List<CallRecord> page, TimeField field, long from, long to) {
    long width = to - from;
    if (page.isEmpty()) {
      // Nothing to estimate from, and an empty answer is cheap: widen fast.
      return width * 8;
    }
    long cap = width * 2;
    if (width < 4) {
      return Math.max(1, Math.min(cap, width * target / page.size()));
    }
    long half = width / 2;
    long middle = from + half;
    int firstHalf = 0;
    for (CallRecord call : page) {
      if (millis(call, field) < middle) {
        firstHalf++;
      }
    }
    int secondHalf = page.size() - firstHalf;
    double late = (double) secondHalf / (width - half);
    double early = (double) firstHalf / half;
    if (late <= 0) {
      return Math.max(1, Math.min(cap, width * target / page.size()));
    }
    double guess = target / late;
    // Rising density: extrapolate linearly from the halves' centres to the next part's centre.
    double slope = Math.max(0, (late - early) / half);
    double expected =
        Math.max(late + slope * (half / 2.0 + guess / 2), (double) page.size() / width);
    long next = (long) (target / expected);
    return Math.max(1, Math.min(cap, next));
  }

  /**
   * After a full part: at most a third of it, less when the page's own time span shows the calls
   * are denser (a newest- or oldest-first page covers a short stretch with {@code limit} calls).
   * When one millisecond dominates the page, the next part ends right before it (or is exactly it),
   * so a burst is isolated at once instead of being approached one doubling at a time.
   */
  private long shrink(long width, List<CallRecord> page, TimeField field, long from, long to) {
    long[] times = new long[page.size()];
    int n = 0;
    for (CallRecord call : page) {
      long t = millis(call, field);
      if (t >= from && t < to) {
        times[n++] = t;
      }
    }
    if (n == 0) {
      return Math.max(1, width / 2);
    }
    Arrays.sort(times, 0, n);
    long mode = times[0];
    int modeCount = 0;
    for (int i = 0, run = 0; i < n; i++) {
      run = i > 0 && times[i] == times[i - 1] ? run + 1 : 1;
      if (run > modeCount) {
        modeCount = run;
        mode = times[i];
      }
    }
    if (modeCount * 2 >= n) {
      return mode > from ? mode - from : 1;
    }
    long step = Math.min(width * 35 / 100, (times[n - 1] - times[0] + 1) * target / n);
    return Math.max(1, Math.min(width - 1, step));
  }

  /**
   * More than {@code limit} calls share one millisecond of the windowed field: sweep them on the
   * other timestamp, first over the full page's sample, then outwards from it in chunks growing
   * fourfold, because the rest of them most likely lies close to the sample (a batch of calls
   * created together is updated together). The chunks reach the ends of time, so none is missed.
   */
  private void sweepOtherField(List<Bound> cell, TimeField field, List<CallRecord> sample) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (CallRecord call : sample) {
      long t = millis(call, field);
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    min = Math.max(EARLIEST, Math.min(LATEST - 1, min));
    max = Math.max(min, Math.min(LATEST - 1, max));
    log.info(
        "More than {} calls share {} {}; listing them by {}",
        limit,
        cell.get(0).field(),
        Timestamps.format(cell.get(0).from()),
        field);
    long span = max + 1 - min;
    sweep(cell, field, min, max + 1);
    long width = span;
    for (long to = min; to > EARLIEST; width = Math.min(LATEST, width * 4)) {
      long from = Math.max(EARLIEST, to - width);
      sweep(cell, field, from, to);
      to = from;
    }
    width = span;
    for (long from = max + 1; from < LATEST; width = Math.min(LATEST, width * 4)) {
      long to = Math.min(LATEST, from + width);
      sweep(cell, field, from, to);
      from = to;
    }
  }

  /**
   * The last resort for calls that share both timestamps' millisecond: the paginated route, checked
   * against its own {@code totalItems} because offset paging over ties may skip rows.
   */
  private void pageThrough(List<Bound> cell) {
    Set<String> seen = new HashSet<>();
    long total = -1;
    try {
      for (int pass = 0; pass < V2_PASSES && (pass == 0 || seen.size() < total); pass++) {
        for (int number = 1; ; number++) {
          CallParser.V2Page page = source.page(cell, number, limit);
          requests++;
          total = page.totalItems();
          List<CallRecord> fresh = new ArrayList<>(page.calls().size());
          for (CallRecord call : page.calls()) {
            if (seen.add(call.id())) {
              fresh.add(call);
            }
          }
          deliver(fresh, cell);
          boolean more =
              page.hasNextPage() != null ? page.hasNextPage() : (long) number * limit < total;
          if (!more || page.calls().isEmpty()) {
            break;
          }
        }
      }
    } catch (UnexpectedStatus e) {
      throw UsageException.vapiUnavailable(
          "more than "
              + limit
              + " calls share createdAt and updatedAt "
              + describe(cell)
              + ", and GET /v2/call (HTTP "
              + e.status()
              + ") cannot page through them");
    }
    if (seen.size() < total) {
      throw UsageException.vapiUnavailable(
          "GET /v2/call returned " + seen.size() + " of " + total + " calls at " + describe(cell));
    }
  }

  private void deliver(List<CallRecord> page, List<Bound> bounds) {
    if (page.isEmpty()) {
      return;
    }
    List<CallRecord> batch = new ArrayList<>(page.size());
    Set<String> pageIds = new HashSet<>(page.size() * 2);
    for (CallRecord call : page) {
      Instant at = instant(call, window.field());
      boolean fresh =
          window.contains(at)
              && within(call, bounds)
              && pageIds.add(call.id())
              && (at.toEpochMilli() < mutableFrom || recentIds.add(call.id()));
      if (fresh) {
        batch.add(call);
      } else {
        dropped++;
      }
    }
    if (!batch.isEmpty()) {
      delivered += batch.size();
      sink.accept(Collections.unmodifiableList(batch));
    }
  }

  private static boolean within(CallRecord call, List<Bound> bounds) {
    for (Bound bound : bounds) {
      long t = millis(call, bound.field());
      if (t < bound.from() || t >= bound.to()) {
        return false;
      }
    }
    return true;
  }

  private static List<Bound> with(List<Bound> fixed, Bound bound) {
    if (fixed.isEmpty()) {
      return List.of(bound);
    }
    List<Bound> all = new ArrayList<>(fixed);
    all.add(bound);
    return all;
  }

  private static String describe(List<Bound> cell) {
    StringBuilder text = new StringBuilder();
    for (Bound bound : cell) {
      text.append(text.length() == 0 ? "" : ", ")
          .append(bound.field() == TimeField.CREATED_AT ? "createdAt " : "updatedAt ")
          .append(Timestamps.format(bound.from()));
    }
    return text.toString();
  }

  private static TimeField other(TimeField field) {
    return field == TimeField.CREATED_AT ? TimeField.UPDATED_AT : TimeField.CREATED_AT;
  }

  private static Instant instant(CallRecord call, TimeField field) {
    return field == TimeField.CREATED_AT ? call.createdAt() : call.updatedAt();
  }

  private static long millis(CallRecord call, TimeField field) {
    return instant(call, field).toEpochMilli();
  }
}
