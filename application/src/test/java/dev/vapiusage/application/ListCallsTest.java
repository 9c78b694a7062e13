package dev.vapiusage.application;

import static dev.vapiusage.application.UseCaseFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.calls.CallField;
import dev.vapiusage.domain.calls.CallFilter;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ListCallsTest {
  private final UseCaseFixture fixture = new UseCaseFixture();
  private final UserId user = TestData.anyUserId();
  private final CallQuery march =
      new CallQuery(
          new DateRange(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31), ZoneOffset.UTC),
          List.of());

  private List<CallRecord> storeCalls(UserId owner, int count) {
    List<CallRecord> calls =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    TestData.call("call-" + i, NOW.minus(Duration.ofMinutes(i / 3)))
                        .status("ended")
                        .assistantId(i % 2 == 0 ? "asst-even" : null)
                        .cost("0.1")
                        .build())
            .toList();
    fixture.usage.store(owner, calls);
    return calls;
  }

  private List<String> everyIdByFollowingCursors(CallQuery query, int limit) {
    List<String> ids = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      CallPage page = fixture.listCalls.list(new ListCallsQuery(user, query, limit, cursor));
      page.calls().forEach(view -> ids.add(view.call().id()));
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return ids;
  }

  @Test
  void followingTheCursors_returnsEveryCallOnce_newestFirst() {
    storeCalls(user, 23);

    List<String> ids = everyIdByFollowingCursors(march, 5);

    assertThat(ids).hasSize(23).doesNotHaveDuplicates();
    List<CallRecord> listed =
        ids.stream().map(id -> fixture.usage.find(user, id).orElseThrow()).toList();
    for (int i = 1; i < listed.size(); i++) {
      CallRecord before = listed.get(i - 1);
      CallRecord after = listed.get(i);
      assertThat(
              before.createdAt().isAfter(after.createdAt())
                  || (before.createdAt().equals(after.createdAt())
                      && before.id().compareTo(after.id()) > 0))
          .as(before.id() + " before " + after.id())
          .isTrue();
    }
  }

  @Test
  void aPageThatEndsTheRange_hasNoNextCursor() {
    storeCalls(user, 10);

    CallPage page = fixture.listCalls.list(new ListCallsQuery(user, march, 10, Optional.empty()));

    assertThat(page.calls()).hasSize(10);
    assertThat(page.nextCursor()).isEmpty();
  }

  @Test
  void givenCallsStoredBetweenPages_followingTheCursors_stillReturnsEveryEarlierCallOnce() {
    storeCalls(user, 12);
    CallPage first = fixture.listCalls.list(new ListCallsQuery(user, march, 4, Optional.empty()));
    fixture.usage.store(
        user,
        List.of(
            TestData.call("late-new", NOW.plusSeconds(1)).build(),
            TestData.call("late-old", NOW.minus(Duration.ofDays(1))).build()));

    Set<String> seen = new HashSet<>();
    first.calls().forEach(view -> seen.add(view.call().id()));
    Optional<String> cursor = first.nextCursor();
    while (cursor.isPresent()) {
      CallPage page = fixture.listCalls.list(new ListCallsQuery(user, march, 4, cursor));
      page.calls().forEach(view -> assertThat(seen.add(view.call().id())).isTrue());
      cursor = page.nextCursor();
    }

    assertThat(seen).hasSize(13).contains("late-old").doesNotContain("late-new");
  }

  @Test
  void aNullFilter_listsOnlyCallsWithoutTheField() {
    storeCalls(user, 9);
    CallQuery withoutAssistant =
        new CallQuery(march.range(), List.of(new CallFilter(CallField.ASSISTANT_ID, null)));

    List<String> ids = everyIdByFollowingCursors(withoutAssistant, 2);

    assertThat(ids).containsExactlyInAnyOrder("call-1", "call-3", "call-5", "call-7");
  }

  @Test
  void aCursorAlteredInOneByte_isRefusedAsInvalidCursor() {
    storeCalls(user, 6);
    String cursor =
        fixture
            .listCalls
            .list(new ListCallsQuery(user, march, 2, Optional.empty()))
            .nextCursor()
            .orElseThrow();
    byte[] bytes = Base64.getUrlDecoder().decode(cursor);
    bytes[3] ^= 1;
    String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThatThrownBy(
            () -> fixture.listCalls.list(new ListCallsQuery(user, march, 2, Optional.of(altered))))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CURSOR));
  }

  @Test
  void anotherUsersCursor_orAnotherQuerysCursor_isRefusedAsInvalidCursor() {
    storeCalls(user, 6);
    UserId other = TestData.anyUserId();
    storeCalls(other, 6);
    String othersCursor =
        fixture
            .listCalls
            .list(new ListCallsQuery(other, march, 2, Optional.empty()))
            .nextCursor()
            .orElseThrow();
    String mineForMarch =
        fixture
            .listCalls
            .list(new ListCallsQuery(user, march, 2, Optional.empty()))
            .nextCursor()
            .orElseThrow();
    CallQuery typed =
        new CallQuery(march.range(), List.of(new CallFilter(CallField.TYPE, "webCall")));

    for (ListCallsQuery refused :
        List.of(
            new ListCallsQuery(user, march, 2, Optional.of(othersCursor)),
            new ListCallsQuery(user, typed, 2, Optional.of(mineForMarch)),
            new ListCallsQuery(user, march, 2, Optional.of("not a cursor")),
            new ListCallsQuery(user, march, 2, Optional.of("")))) {
      assertThatThrownBy(() -> fixture.listCalls.list(refused))
          .isInstanceOfSatisfying(
              UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CURSOR));
    }
  }

  @Test
  void aLimitOutsideOneTo500_isAnInvalidRequest() {
    for (int limit : new int[] {0, -1, 501}) {
      assertThatThrownBy(() -> new ListCallsQuery(user, march, limit, Optional.empty()))
          .isInstanceOfSatisfying(
              UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }
  }

  @Test
  void listedCalls_carryTheirAssistantsName_andWhetherTheirCostIsFinal() {
    fixture.names.replace(
        user, new AssistantRoster(Map.of("asst-1", "Front desk"), Set.of("asst-1"), NOW));
    Instant settled = NOW.minus(Duration.ofMinutes(31));
    fixture.usage.store(
        user,
        List.of(
            TestData.call("settled", settled)
                .status("ended")
                .assistantId("asst-1")
                .cost("1")
                .build(),
            TestData.call("recent", NOW.minus(Duration.ofMinutes(5)))
                .status("ended")
                .assistantId("asst-gone")
                .cost("1")
                .build(),
            TestData.call("uncosted", settled).status("ended").build()));

    Map<String, CallView> byId = new HashMap<>();
    fixture
        .listCalls
        .list(new ListCallsQuery(user, march, 10, Optional.empty()))
        .calls()
        .forEach(view -> byId.put(view.call().id(), view));

    assertThat(byId.get("settled").assistantName()).isEqualTo("Front desk");
    assertThat(byId.get("settled").isFinal()).isTrue();
    assertThat(byId.get("recent").assistantName()).isNull();
    assertThat(byId.get("recent").isFinal()).isFalse();
    assertThat(byId.get("uncosted").isFinal()).isFalse();
  }

  @Test
  void anotherUsersCall_isNotFound() {
    UserId other = TestData.anyUserId();
    storeCalls(other, 1);

    assertThatThrownBy(() -> fixture.getCall.get(user, "call-0"))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(fixture.getCall.get(other, "call-0").call().id()).isEqualTo("call-0");
  }

  @Test
  void theExport_handsOverTheSameCallsInTheListsOrder() {
    storeCalls(user, 17);
    List<String> exported = new ArrayList<>();

    fixture.exportCalls.export(user, march, view -> exported.add(view.call().id()));

    assertThat(exported).isEqualTo(everyIdByFollowingCursors(march, 4));
  }

  @Test
  void theDashboard_countsCallsQueuedOrInProgressForMoreThanADay_asStuck() {
    fixture.usage.store(
        user,
        List.of(
            TestData.call("stuck", NOW.minus(Duration.ofHours(25))).status("in-progress").build(),
            TestData.call("queued-long", NOW.minus(Duration.ofHours(30))).status("queued").build(),
            TestData.call("young", NOW.minus(Duration.ofHours(23))).status("in-progress").build(),
            TestData.call("done", NOW.minus(Duration.ofHours(48))).status("ended").build()));

    var usage = fixture.dashboard.usage(new MetricsQuery(user, march.range()));

    assertThat(usage.metrics().stuckCalls()).isEqualTo(2);
    assertThat(usage.metrics().totals().calls()).isEqualTo(4);
  }
}
