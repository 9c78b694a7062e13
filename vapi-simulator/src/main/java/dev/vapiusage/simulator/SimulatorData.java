package dev.vapiusage.simulator;

import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.TimeField;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The world a {@link VapiSimulator} serves: one Vapi org's calls and assistants. Generated calls
 * are computed from their index on demand (a million cost no memory); calls that a test adds or
 * changes are kept as objects on top of them. Every world starts with nine saved assistants (eight
 * named, one without a name), and its generated calls also name two deleted ones. Thread-safe:
 * tests change the world while the simulator serves it.
 */
public final class SimulatorData {
  private static final Comparator<SimulatedCall> BY_CREATED =
      Comparator.comparing(SimulatedCall::createdAt).thenComparing(SimulatedCall::id);
  private static final Comparator<SimulatedAssistant> BY_ASSISTANT_CREATED =
      Comparator.comparing(SimulatedAssistant::createdAt).thenComparing(SimulatedAssistant::id);

  /** The saved assistants every world starts with; the last has no name, as Vapi allows. */
  private static final String[] ASSISTANT_NAMES = {
    "Front desk",
    "Appointment booking",
    "Sales follow-up",
    "Support triage",
    "After-hours line",
    "Survey",
    "Collections reminder",
    "Order status",
    null
  };

  /**
   * Assistants that old calls still name but that were deleted: {@code GET /assistant} lacks them.
   */
  private static final int DELETED_ASSISTANTS = 2;

  private final String orgId;
  private final CallGenerator generator;
  private final List<SimulatedAssistant> assistants = new ArrayList<>();
  private final List<String> phoneNumbers;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final BitSet replaced = new BitSet();
  private final Map<String, SimulatedCall> extraById = new HashMap<>();
  private final NavigableSet<SimulatedCall> extraByCreated = new TreeSet<>(BY_CREATED);
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicLong nextAssistantId = new AtomicLong(1);
  private final long idSalt;

  /** The assistant of the calls that {@link #addEndedCall} and its kind add. */
  private final String firstAssistantId;

  private SimulatorData(long seed, int count, Instant from, Instant to) {
    this.idSalt = CallGenerator.mix(seed, -1);
    this.orgId = uuid(CallGenerator.mix(seed, -2), CallGenerator.mix(seed, -3));
    Instant created =
        (from == null ? Instant.parse("2024-01-01T00:00:00Z") : from).minus(Duration.ofDays(30));
    // Calls name the saved assistants, most often the first, and rarely the deleted ones.
    List<String> named = new ArrayList<>();
    for (int i = 0; i < ASSISTANT_NAMES.length + DELETED_ASSISTANTS; i++) {
      String id = uuid(CallGenerator.mix(seed, -10 - i), CallGenerator.mix(seed, -20 - i));
      named.add(id);
      if (i < ASSISTANT_NAMES.length) {
        assistants.add(
            new SimulatedAssistant(id, ASSISTANT_NAMES[i], created.plusSeconds(3_600L * i)));
      }
    }
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      numbers.add(uuid(CallGenerator.mix(seed, -30 - i), CallGenerator.mix(seed, -40 - i)));
    }
    this.phoneNumbers = List.copyOf(numbers);
    this.firstAssistantId = named.get(0);
    this.generator =
        count == 0
            ? null
            : new CallGenerator(
                seed, count, from.toEpochMilli(), to.toEpochMilli(), orgId, named, phoneNumbers);
  }

  /** A world with assistants and no calls; tests add the calls they need. */
  public static SimulatorData empty() {
    return new SimulatorData(0, 0, null, null);
  }

  /**
   * {@code callCount} deterministic calls created in {@code [from, to)}, as the world looks at
   * {@code to}: most ended and costed, the latest (at least three) still queued or in progress
   * without a cost, some unanswered, some without an assistant, bursts of 25 sharing one
   * millisecond, some exactly on a day boundary, and a daily rhythm peaking at 15:00 UTC. The same
   * seed always gives the same calls; {@link #endCall} moves a live one on.
   */
  public static SimulatorData generated(long seed, int callCount, Instant from, Instant to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (callCount < 0 || !from.isBefore(to)) {
      throw new IllegalArgumentException("callCount >= 0 and from before to");
    }
    return new SimulatorData(seed, callCount, from, to);
  }

  public String orgId() {
    return orgId;
  }

  /**
   * The ids of the org's saved assistants, oldest first. Generated calls name them (and sometimes
   * none, or one that was deleted).
   */
  public List<String> assistantIds() {
    List<String> ids = new ArrayList<>();
    for (SimulatedAssistant assistant : assistants()) {
      ids.add(assistant.id());
    }
    return ids;
  }

  /** The org's saved assistants, as {@code GET /assistant} can list them, oldest first. */
  public List<SimulatedAssistant> assistants() {
    lock.readLock().lock();
    try {
      List<SimulatedAssistant> sorted = new ArrayList<>(assistants);
      sorted.sort(BY_ASSISTANT_CREATED);
      return sorted;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Saves a new assistant ({@code name} may be null) with a fresh id. */
  public SimulatedAssistant addAssistant(String name, Instant createdAt) {
    SimulatedAssistant assistant =
        new SimulatedAssistant(
            uuid(idSalt, 0xC000_0000_0000L | nextAssistantId.getAndIncrement()), name, createdAt);
    lock.writeLock().lock();
    try {
      assistants.add(assistant);
      return assistant;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Deletes an assistant, as {@code DELETE /assistant/{id}} does: calls keep naming it, {@code GET
   * /assistant} no longer lists it. False when there was none.
   */
  public boolean deleteAssistant(String id) {
    lock.writeLock().lock();
    try {
      return assistants.removeIf(assistant -> assistant.id().equals(id));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Up to {@code limit} assistants created in the query's range, as {@code GET /assistant} returns
   * them: newest first, oldest first, or a random choice in random order.
   */
  List<SimulatedAssistant> selectAssistants(
      CallQuery query, int limit, VapiSimulator.Order order, SplittableRandom random) {
    List<SimulatedAssistant> matching = new ArrayList<>();
    for (SimulatedAssistant assistant : assistants()) {
      // An assistant's updatedAt is its createdAt here: nothing edits them.
      long at = assistant.createdAt().toEpochMilli();
      if (at >= query.createdFrom
          && at < query.createdTo
          && at >= query.updatedFrom
          && at < query.updatedTo) {
        matching.add(assistant);
      }
    }
    if (order == VapiSimulator.Order.NEWEST_FIRST) {
      Collections.reverse(matching);
    } else if (order == VapiSimulator.Order.SHUFFLED) {
      for (int i = matching.size() - 1; i > 0; i--) {
        Collections.swap(matching, i, random.nextInt(i + 1));
      }
    }
    return List.copyOf(matching.subList(0, Math.min(limit, matching.size())));
  }

  /** A fresh call id, never used by this world before. */
  public String newCallId() {
    return uuid(idSalt, 0xB000_0000_0000L | nextId.getAndIncrement());
  }

  /** How many calls the world holds now. */
  public long size() {
    lock.readLock().lock();
    try {
      long generated = generator == null ? 0 : generator.count - replaced.cardinality();
      return generated + extraById.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public Optional<SimulatedCall> call(String id) {
    lock.readLock().lock();
    try {
      SimulatedCall extra = extraById.get(id);
      if (extra != null) {
        return Optional.of(extra);
      }
      int index = generator == null ? -1 : generator.indexOf(id);
      return index < 0 || replaced.get(index)
          ? Optional.empty()
          : Optional.of(generator.call(index));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds a call, or replaces the call with its id. */
  public SimulatedCall add(SimulatedCall call) {
    Objects.requireNonNull(call, "call");
    lock.writeLock().lock();
    try {
      put(call);
      return call;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public void addAll(Collection<SimulatedCall> calls) {
    lock.writeLock().lock();
    try {
      calls.forEach(this::put);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds an ended, costed call with a new id in this org. */
  public SimulatedCall addEndedCall(Instant createdAt, Duration duration) {
    return add(SimulatedCall.ended(newCallId(), orgId, createdAt, duration, firstAssistantId));
  }

  /** Adds a call in progress (no cost yet) with a new id in this org. */
  public SimulatedCall addInProgressCall(Instant createdAt) {
    return add(SimulatedCall.inProgress(newCallId(), orgId, createdAt, firstAssistantId));
  }

  /**
   * Changes one call as Vapi would, e.g. costs arriving after the end; the change should carry a
   * new {@code updatedAt}.
   *
   * @throws NoSuchElementException when no call has this id
   */
  public SimulatedCall update(String id, UnaryOperator<SimulatedCall> change) {
    lock.writeLock().lock();
    try {
      SimulatedCall current =
          call(id).orElseThrow(() -> new NoSuchElementException("no call " + id));
      SimulatedCall changed = Objects.requireNonNull(change.apply(current), "changed call");
      if (!changed.id().equals(id)) {
        throw new IllegalArgumentException("a change keeps the call's id");
      }
      put(changed);
      return changed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Ends a call at {@code endedAt} with standard-rate costs, changed at {@code updatedAt}. */
  public SimulatedCall endCall(String id, Instant endedAt, Instant updatedAt) {
    return update(id, call -> call.endedAt(endedAt, updatedAt));
  }

  /** Gives a call new costs, as a late analysis charge does, changed at {@code updatedAt}. */
  public SimulatedCall recost(String id, SimulatedCall.Costs costs, Instant updatedAt) {
    return update(id, call -> call.withCosts(costs, updatedAt));
  }

  /** Deletes a call, as {@code DELETE /call/{id}} does; false when there was none. */
  public boolean delete(String id) {
    lock.writeLock().lock();
    try {
      SimulatedCall extra = extraById.remove(id);
      if (extra != null) {
        extraByCreated.remove(extra);
        return true;
      }
      int index = generator == null ? -1 : generator.indexOf(id);
      if (index < 0 || replaced.get(index)) {
        return false;
      }
      replaced.set(index);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The truth: every call whose windowed timestamp lies in {@code window}, by creation. */
  public List<SimulatedCall> calls(CallWindow window) {
    List<SimulatedCall> calls = new ArrayList<>();
    forEachCall(window, calls::add);
    return calls;
  }

  /** Visits every call of {@code window} by creation, without holding them all. */
  public void forEachCall(CallWindow window, Consumer<SimulatedCall> visitor) {
    long from = ceilMillis(window.from());
    long to = ceilMillis(window.to());
    CallQuery query =
        window.field() == TimeField.CREATED_AT
            ? new CallQuery(null, null, null, from, to, Long.MIN_VALUE, Long.MAX_VALUE)
            : new CallQuery(null, null, null, Long.MIN_VALUE, Long.MAX_VALUE, from, to);
    forEachMatch(query, visitor);
  }

  /** Visits every call matching {@code query}, ascending by creation (then id among extras). */
  void forEachMatch(CallQuery query, Consumer<SimulatedCall> visitor) {
    lock.readLock().lock();
    try {
      Iterator<SimulatedCall> extras = extras(query, true);
      SimulatedCall extra = next(extras, query);
      if (generator != null) {
        long[] range = indexRange(query);
        for (long i = range[0]; i < range[1]; i++) {
          if (replaced.get((int) i)) {
            continue;
          }
          SimulatedCall call = generator.call((int) i);
          while (extra != null && !extra.createdAt().isAfter(call.createdAt())) {
            visitor.accept(extra);
            extra = next(extras, query);
          }
          if (query.matches(call)) {
            visitor.accept(call);
          }
        }
      }
      while (extra != null) {
        visitor.accept(extra);
        extra = next(extras, query);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Up to {@code limit} matches as {@code GET /call} returns them: newest first, oldest first, or a
   * uniform random choice among all matches in random order.
   */
  List<SimulatedCall> select(
      CallQuery query, int limit, VapiSimulator.Order order, SplittableRandom random) {
    if (limit == 0) {
      return List.of();
    }
    lock.readLock().lock();
    try {
      if (order == VapiSimulator.Order.SHUFFLED) {
        return sample(query, limit, random);
      }
      boolean ascending = order == VapiSimulator.Order.OLDEST_FIRST;
      List<SimulatedCall> fromExtras = new ArrayList<>();
      Iterator<SimulatedCall> extras = extras(query, ascending);
      SimulatedCall extra;
      while (fromExtras.size() < limit && (extra = next(extras, query)) != null) {
        fromExtras.add(extra);
      }
      List<SimulatedCall> fromGenerated = new ArrayList<>();
      if (generator != null) {
        long[] range = indexRange(query);
        for (long n = 0; n < range[1] - range[0] && fromGenerated.size() < limit; n++) {
          int i = (int) (ascending ? range[0] + n : range[1] - 1 - n);
          if (!replaced.get(i)) {
            SimulatedCall call = generator.call(i);
            if (query.matches(call)) {
              fromGenerated.add(call);
            }
          }
        }
      }
      return merge(fromExtras, fromGenerated, limit, ascending);
    } finally {
      lock.readLock().unlock();
    }
  }

  private List<SimulatedCall> sample(CallQuery query, int limit, SplittableRandom random) {
    List<SimulatedCall> reservoir = new ArrayList<>(limit);
    long[] seen = {0};
    forEachMatch(
        query,
        call -> {
          seen[0]++;
          if (reservoir.size() < limit) {
            reservoir.add(call);
          } else {
            long slot = random.nextLong(seen[0]);
            if (slot < limit) {
              reservoir.set((int) slot, call);
            }
          }
        });
    for (int i = reservoir.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      SimulatedCall swap = reservoir.get(i);
      reservoir.set(i, reservoir.get(j));
      reservoir.set(j, swap);
    }
    return reservoir;
  }

  private static List<SimulatedCall> merge(
      List<SimulatedCall> a, List<SimulatedCall> b, int limit, boolean ascending) {
    List<SimulatedCall> merged = new ArrayList<>(Math.min(limit, a.size() + b.size()));
    int i = 0;
    int j = 0;
    while (merged.size() < limit && (i < a.size() || j < b.size())) {
      boolean takeA;
      if (i >= a.size()) {
        takeA = false;
      } else if (j >= b.size()) {
        takeA = true;
      } else {
        int cmp = a.get(i).createdAt().compareTo(b.get(j).createdAt());
        takeA = ascending ? cmp <= 0 : cmp >= 0;
      }
      merged.add(takeA ? a.get(i++) : b.get(j++));
    }
    return merged;
  }

  /** Extras whose creation lies in the query's range, ascending or descending. */
  private Iterator<SimulatedCall> extras(CallQuery query, boolean ascending) {
    if (query.id != null) {
      SimulatedCall one = extraById.get(query.id);
      return one == null ? List.<SimulatedCall>of().iterator() : List.of(one).iterator();
    }
    NavigableSet<SimulatedCall> range = extraByCreated;
    if (!extraByCreated.isEmpty()) {
      SimulatedCall first = extraByCreated.first();
      SimulatedCall last = extraByCreated.last();
      long from = Math.max(query.createdFrom, first.createdAt().toEpochMilli());
      long to = Math.min(query.createdTo, last.createdAt().toEpochMilli() + 1);
      if (from >= to) {
        return List.<SimulatedCall>of().iterator();
      }
      range = extraByCreated.subSet(probe(from), true, probe(to), false);
    }
    return ascending ? range.iterator() : range.descendingIterator();
  }

  /** A key that sorts before every call created at {@code millis}. */
  private SimulatedCall probe(long millis) {
    Instant at = Instant.ofEpochMilli(millis);
    return new SimulatedCall(
        "", orgId, null, null, null, at, at, null, null, null, null, null, null);
  }

  private static SimulatedCall next(Iterator<SimulatedCall> extras, CallQuery query) {
    while (extras.hasNext()) {
      SimulatedCall call = extras.next();
      if (query.matches(call)) {
        return call;
      }
    }
    return null;
  }

  /** The generated indices whose creation can match: updatedAt lags creation by a bounded time. */
  private long[] indexRange(CallQuery query) {
    if (query.id != null) {
      int index = generator.indexOf(query.id);
      return index < 0 ? new long[] {0, 0} : new long[] {index, index + 1L};
    }
    long from = query.createdFrom;
    long to = query.createdTo;
    if (query.updatedFrom != Long.MIN_VALUE) {
      from = Math.max(from, query.updatedFrom - CallGenerator.MAX_LAG_MILLIS);
    }
    if (query.updatedTo != Long.MAX_VALUE) {
      // Generated calls are never updated before they are created.
      to = Math.min(to, query.updatedTo);
    }
    if (from >= to) {
      return new long[] {0, 0};
    }
    long first = from <= generator.from ? 0 : generator.firstAtOrAfter(from);
    long end = to > generator.to ? generator.count : generator.firstAtOrAfter(to);
    return new long[] {first, Math.max(first, end)};
  }

  private void put(SimulatedCall call) {
    SimulatedCall previous = extraById.put(call.id(), call);
    if (previous != null) {
      extraByCreated.remove(previous);
    } else if (generator != null) {
      int index = generator.indexOf(call.id());
      if (index >= 0) {
        replaced.set(index);
      }
    }
    extraByCreated.add(call);
  }

  private static long ceilMillis(Instant instant) {
    return instant.getNano() % 1_000_000 == 0 ? instant.toEpochMilli() : instant.toEpochMilli() + 1;
  }

  private static String uuid(long high, long low) {
    return CallGenerator.uuid(high, low >>> 48, low, 'a');
  }
}
