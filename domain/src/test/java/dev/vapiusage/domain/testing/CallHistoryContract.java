package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallField;
import dev.vapiusage.domain.calls.CallFilter;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.port.UsageRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CallHistory} does over the calls its {@link UsageRepository} stores; subclasses
 * supply the two, sharing one store. The expected order is {@link CallPosition#LIST_ORDER} in Java.
 */
public abstract class CallHistoryContract {
  private static final Instant T0 = Instant.parse("2024-03-05T12:00:00Z");
  private static final DateRange MARCH =
      new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), ZoneId.of("UTC"));
  private static final CallQuery ALL_OF_MARCH = new CallQuery(MARCH, List.of());

  protected abstract UsageRepository usage();

  protected abstract CallHistory history();

  private static List<CallRecord> inListOrder(List<CallRecord> calls) {
    return calls.stream()
        .sorted(
            Comparator.comparing(
                (CallRecord c) -> new CallPosition(c.createdAt(), c.id()), CallPosition.LIST_ORDER))
        .collect(Collectors.toList());
  }

  private static List<String> ids(List<CallRecord> calls) {
    return calls.stream().map(CallRecord::id).collect(Collectors.toList());
  }

  private List<CallRecord> allPages(UserId user, CallQuery query, int limit, Runnable between) {
    List<CallRecord> seen = new ArrayList<>();
    Optional<CallPosition> after = Optional.empty();
    while (true) {
      List<CallRecord> page = history().page(user, query, after, limit);
      seen.addAll(page);
      if (page.size() < limit) {
        return seen;
      }
      CallRecord last = page.get(page.size() - 1);
      after = Optional.of(new CallPosition(last.createdAt(), last.id()));
      between.run();
    }
  }

  /** Calls of March with ties on createdAt, so the id decides their order. */
  private static List<CallRecord> marchCalls(Random random, int count) {
    List<CallRecord> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant created = T0.plusSeconds(60L * random.nextInt(count / 3 + 1));
      calls.add(
          call("c-" + Integer.toHexString(random.nextInt()) + "-" + i, created)
              .status(i % 2 == 0 ? "ended" : "in-progress")
              .assistantId(i % 3 == 0 ? null : "asst-" + i % 3)
              .type("webCall")
              .cost("0.0" + i)
              .build());
    }
    return calls;
  }

  @Test
  void page_listsNewestFirstThenIdDescending() {
    UserId user = anyUserId();
    List<CallRecord> calls = marchCalls(new Random(1), 60);
    usage().store(user, calls);

    List<CallRecord> page = history().page(user, ALL_OF_MARCH, Optional.empty(), 500);

    assertThat(ids(page)).containsExactlyElementsOf(ids(inListOrder(calls)));
    assertThat(page).allSatisfy(c -> assertThat(c.costItems()).isEmpty());
  }

  @Test
  void page_leavesOutCallsOutsideTheRangeAndOtherUsersCalls() {
    UserId user = anyUserId();
    CallRecord inside = call("inside", Instant.parse("2024-03-31T23:59:59Z")).build();
    CallRecord after = call("after", Instant.parse("2024-04-01T00:00:00Z")).build();
    CallRecord before = call("before", Instant.parse("2024-02-29T23:59:59Z")).build();
    usage().store(user, List.of(inside, after, before));
    usage().store(anyUserId(), List.of(call("someone-else", T0).build()));

    assertThat(ids(history().page(user, ALL_OF_MARCH, Optional.empty(), 10)))
        .containsExactly("inside");
  }

  @Test
  void givenFilters_page_matchesExactlyAndNullMatchesCallsWithoutTheField() {
    UserId user = anyUserId();
    List<CallRecord> calls = marchCalls(new Random(2), 30);
    usage().store(user, calls);

    for (CallFilter filter :
        List.of(
            new CallFilter(CallField.ASSISTANT_ID, null),
            new CallFilter(CallField.ASSISTANT_ID, "asst-1"),
            new CallFilter(CallField.STATUS, "in-progress"),
            new CallFilter(CallField.ENDED_REASON, null),
            new CallFilter(CallField.TYPE, "inboundPhoneCall"))) {
      CallQuery query = new CallQuery(MARCH, List.of(filter));
      List<CallRecord> expected =
          inListOrder(calls.stream().filter(query::matches).collect(Collectors.toList()));
      assertThat(ids(history().page(user, query, Optional.empty(), 500)))
          .as(filter.toString())
          .containsExactlyElementsOf(ids(expected));
    }
    CallQuery two =
        new CallQuery(
            MARCH,
            List.of(
                new CallFilter(CallField.ASSISTANT_ID, "asst-2"),
                new CallFilter(CallField.STATUS, "ended")));
    assertThat(ids(history().page(user, two, Optional.empty(), 500)))
        .containsExactlyElementsOf(
            ids(inListOrder(calls.stream().filter(two::matches).collect(Collectors.toList()))));
  }

  @Test
  void givenStoresBetweenPages_followingThePages_returnsEveryCallExactlyOnce() throws Exception {
    UserId user = anyUserId();
    Random random = new Random(3);
    List<CallRecord> calls = marchCalls(random, 200);
    usage().store(user, calls);
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      List<CallRecord> seen =
          allPages(
              user,
              ALL_OF_MARCH,
              7,
              () -> {
                // A sync stores new calls (newer and older than the page) and changes old ones.
                List<CallRecord> batch = new ArrayList<>(marchCalls(random, 4));
                CallRecord old = calls.get(random.nextInt(calls.size()));
                batch.add(
                    call(old.id(), old.createdAt())
                        .updatedAt(old.updatedAt().plusSeconds(60))
                        .status("ended")
                        .cost("1.5")
                        .build());
                try {
                  writer.submit(() -> usage().store(user, batch)).get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      List<String> seenIds = ids(seen);
      assertThat(new HashSet<>(seenIds)).hasSameSizeAs(seenIds);
      assertThat(seenIds).containsAll(ids(calls));
      assertThat(seenIds).isEqualTo(ids(inListOrder(seen)));
    } finally {
      writer.shutdownNow();
    }
  }

  @Test
  void givenAnotherUsersCall_find_isEmpty() {
    UserId owner = anyUserId();
    CallRecord call = call(TestData.anyCallId(), T0).build();
    usage().store(owner, List.of(call));

    assertThat(history().find(anyUserId(), call.id())).isEmpty();
    assertThat(history().find(owner, TestData.anyCallId())).isEmpty();
    assertThat(history().find(owner, call.id())).isPresent();
  }

  @Test
  void find_returnsTheCallWithItsCostItemsExactly() {
    UserId user = anyUserId();
    List<CostItem> items =
        List.of(
            new CostItem(
                "transport",
                new BigDecimal("0.0123456789012"),
                "twilio",
                null,
                null,
                new BigDecimal("2.5"),
                null,
                null,
                null),
            TestData.modelItem("openai", "gpt-4o", "0.02", 1200L, 85L),
            TestData.modelItem("openai", "gpt-4o", "0.000001", null, null),
            TestData.voiceItem("11labs", null, "voice-é✓", "0.03", 430L),
            TestData.transcriberItem("deepgram", "nova-2", "0", "1.25"),
            new CostItem(
                "some-new-type",
                new BigDecimal("12345678.123456789"),
                null,
                null,
                null,
                null,
                null,
                null,
                null));
    CallRecord stored =
        call(TestData.anyCallId(), T0)
            .updatedAt(T0.plusSeconds(100))
            .talked(T0.plusSeconds(1), T0.plusSeconds(91))
            .type("inboundPhoneCall")
            .status("ended")
            .endedReason("customer-ended-call")
            .assistantId("asst-1")
            .cost("0.0823456789012")
            .costs("0.0123456789012", "0", "0.020001", "0.03", "0.02", "0")
            .items(items)
            .build();
    usage().store(user, List.of(stored));

    assertThat(history().find(user, stored.id())).contains(stored);
  }

  @Test
  void givenChangedItems_storeAndFind_replaceTheItems() {
    UserId user = anyUserId();
    String id = TestData.anyCallId();
    CallRecord first =
        call(id, T0)
            .cost("0.5")
            .items(List.of(TestData.modelItem("openai", "gpt-4o", "0.5", 10L, 1L)))
            .build();
    usage().store(user, List.of(first));
    CallRecord second =
        first.withCostItems(
            List.of(
                TestData.modelItem("openai", "gpt-4o", "0.25", 10L, 1L),
                TestData.voiceItem("11labs", "turbo", "v1", "0.25", 100L)));

    assertThat(usage().store(user, List.of(second)).changed()).isEqualTo(1);
    assertThat(usage().store(user, List.of(second)).changed()).isZero();
    assertThat(history().find(user, id)).contains(second);
    assertThat(usage().store(user, List.of(second.withCostItems(List.of()))).changed())
        .isEqualTo(1);
    assertThat(history().find(user, id).orElseThrow().costItems()).isEmpty();
  }

  @Test
  void forEach_handsEveryMatchingCallOnceInListOrder() {
    UserId user = anyUserId();
    List<CallRecord> calls = marchCalls(new Random(4), 2500);
    usage().store(user, calls);
    CallQuery query = new CallQuery(MARCH, List.of(new CallFilter(CallField.STATUS, "ended")));

    List<CallRecord> handed = new ArrayList<>();
    history().forEach(user, query, handed::add);

    assertThat(ids(handed))
        .containsExactlyElementsOf(
            ids(inListOrder(calls.stream().filter(query::matches).collect(Collectors.toList()))));
  }

  @Test
  void countStuck_countsQueuedAndInProgressCallsOfTheRangeCreatedBeforeTheCutoff() {
    UserId user = anyUserId();
    Instant cutoff = T0.plusSeconds(3600);
    usage()
        .store(
            user,
            List.of(
                call("queued-old", T0).status("queued").build(),
                call("running-old", T0.plusSeconds(10)).status("in-progress").build(),
                call("running-at-cutoff", cutoff).status("in-progress").build(),
                call("running-new", cutoff.plusSeconds(1)).status("in-progress").build(),
                call("ended-old", T0).status("ended").build(),
                call("no-status", T0).build(),
                call("queued-february", Instant.parse("2024-02-20T00:00:00Z"))
                    .status("queued")
                    .build()));

    assertThat(history().countStuck(user, MARCH, cutoff)).isEqualTo(2);
    assertThat(history().countStuck(anyUserId(), MARCH, cutoff)).isZero();
  }
}
