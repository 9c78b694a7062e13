package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.testing.TestData;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/vapi/calls} and {@code /calls/{id}} over real HTTP (contract §9.1). */
class CallsApiTest {
  private static final String FEB = "startDate=2024-02-01&endDate=2024-02-15";
  private static final Instant FEB_1 = Instant.parse("2024-02-01T00:00:00Z");

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static TestServer.User userWith(List<CallRecord> calls) {
    TestServer.User user = server.newUser();
    server.usage.store(user.id(), calls);
    return user;
  }

  /**
   * {@code count} ended calls an hour apart from Feb 1, every third sharing its neighbour's time.
   */
  private static List<CallRecord> hourly(String prefix, int count) {
    List<CallRecord> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant created = FEB_1.plusSeconds(3600L * (i - i % 3 / 2));
      calls.add(TestData.endedCall(prefix + "-" + i, created, 60 + i, "0.0" + (i + 1)));
    }
    return calls;
  }

  private static List<String> inListOrder(List<CallRecord> calls) {
    return calls.stream()
        .sorted(
            Comparator.comparing(CallRecord::createdAt).thenComparing(CallRecord::id).reversed())
        .map(CallRecord::id)
        .toList();
  }

  /** Follows nextCursor from the first page; {@code between} runs after every page. */
  private static List<String> allPages(
      TestServer.User user, String query, int limit, Runnable between) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      TestServer.Response page =
          server.get(
              "/api/vapi/calls?"
                  + query
                  + "&limit="
                  + limit
                  + (cursor == null ? "" : "&cursor=" + cursor),
              user.token());
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      JsonNode json = page.json();
      assertThat(json.get("calls").size()).isLessThanOrEqualTo(limit);
      json.get("calls").forEach(call -> ids.add(call.get("id").textValue()));
      cursor = json.get("nextCursor").isNull() ? null : json.get("nextCursor").textValue();
      between.run();
      assertThat(++pages).isLessThan(1_000);
    } while (cursor != null);
    return ids;
  }

  private static String firstCursor(TestServer.User user, String query) {
    JsonNode page = server.get("/api/vapi/calls?" + query, user.token()).json();
    assertThat(page.get("nextCursor").isTextual()).isTrue();
    return page.get("nextCursor").textValue();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Test
  void givenMoreCallsThanALimit_followingNextCursor_returnsEveryCallOnceInListOrder() {
    List<CallRecord> calls = hourly("page", 23);
    TestServer.User user = userWith(calls);

    List<String> ids = allPages(user, FEB, 5, () -> {});

    assertThat(ids).isEqualTo(inListOrder(calls));
  }

  @Test
  void givenAnExactMultipleOfTheLimit_theLastPage_hasNoNextCursor() {
    TestServer.User user = userWith(hourly("exact", 10));

    JsonNode second =
        server
            .get(
                "/api/vapi/calls?" + FEB + "&limit=5&cursor=" + firstCursor(user, FEB + "&limit=5"),
                user.token())
            .json();

    assertThat(second.get("calls").size()).isEqualTo(5);
    assertThat(second.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void givenCallsStoredBetweenPages_followingNextCursor_returnsEveryStoredCallAtMostOnce() {
    List<CallRecord> before = hourly("sync", 30);
    TestServer.User user = userWith(before);
    int[] round = {0};

    List<String> ids =
        allPages(
            user,
            FEB,
            4,
            () -> {
              int n = round[0]++;
              // A sync stores a new call at the newest end, one in the middle of what is left,
              // and stores an already listed call again with a changed cost.
              CallRecord newest =
                  TestData.endedCall("new-" + n, Instant.parse("2024-02-14T00:00:00Z"), 30, "1");
              CallRecord older = TestData.endedCall("old-" + n, FEB_1.plusSeconds(n), 30, "1");
              CallRecord changed = before.get(before.size() - 1 - n % 4);
              List<CallRecord> batch =
                  List.of(
                      newest,
                      older,
                      TestData.endedCall(changed.id(), changed.createdAt(), 99, "9.99"));
              server.usage.store(user.id(), batch);
            });

    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).containsAll(inListOrder(before));
    // A call stored ahead of the position is for the next listing; one behind it is still to come.
    assertThat(ids).noneMatch(id -> id.startsWith("new-"));
    assertThat(ids).anyMatch(id -> id.startsWith("old-"));
    assertThat(ids).allMatch(id -> id.startsWith("sync-") || id.startsWith("old-"));
  }

  @Test
  void givenFilters_list_returnsOnlyExactMatches_andTheValueNullMatchesCallsWithoutTheField() {
    Instant at = FEB_1.plusSeconds(7200);
    List<CallRecord> calls =
        List.of(
            TestData.call("f-1", at).assistantId("asst-a").type("webCall").status("ended").build(),
            TestData.call("f-2", at).assistantId("asst-b").type("webCall").status("ended").build(),
            TestData.call("f-3", at).type("inboundPhoneCall").status("queued").build(),
            TestData.call("f-4", at).assistantId("asst-a").status("ended").endedReason("x").build(),
            TestData.call("f-5", at).assistantId("ASST-A").build());
    TestServer.User user = userWith(calls);

    assertThat(allPages(user, FEB + "&assistantId=asst-a", 50, () -> {}))
        .containsExactly("f-4", "f-1");
    assertThat(allPages(user, FEB + "&assistantId=null", 50, () -> {})).containsExactly("f-3");
    assertThat(allPages(user, FEB + "&type=webCall&assistantId=asst-b", 50, () -> {}))
        .containsExactly("f-2");
    assertThat(allPages(user, FEB + "&status=null", 50, () -> {})).containsExactly("f-5");
    assertThat(allPages(user, FEB + "&endedReason=null&type=null", 50, () -> {}))
        .containsExactly("f-5");
    assertThat(allPages(user, FEB + "&status=queued&type=inboundPhoneCall", 50, () -> {}))
        .containsExactly("f-3");
    assertThat(allPages(user, FEB + "&type=nothing-like-it", 50, () -> {})).isEmpty();
  }

  @Test
  void givenCallsOutsideTheRangeOrZone_list_showsOnlyCallsCreatedOnTheRangesDatesInTheZone() {
    TestServer.User user =
        userWith(
            List.of(
                TestData.endedCall("jan-31-late", Instant.parse("2024-01-31T23:30:00Z"), 60, "1"),
                TestData.endedCall("feb-1", Instant.parse("2024-02-01T12:00:00Z"), 60, "1"),
                TestData.endedCall("feb-16", Instant.parse("2024-02-16T00:00:01Z"), 60, "1")));

    assertThat(allPages(user, FEB, 50, () -> {})).containsExactly("feb-1");
    assertThat(
            allPages(
                user,
                "startDate=2024-02-01&endDate=2024-02-01&timezone=Europe/Berlin",
                50,
                () -> {}))
        .containsExactly("feb-1", "jan-31-late");
  }

  @Test
  void aListedCall_showsTheContractsFields_minutesRounded_costExact_nameAndFinality() {
    Instant created = Instant.parse("2024-02-10T09:00:00Z");
    CallRecord call =
        TestData.call("shape-1", created)
            .updatedAt(created.plusSeconds(200))
            .talked(created.plusSeconds(1), created.plusSeconds(152))
            .type("inboundPhoneCall")
            .status("ended")
            .endedReason("customer-ended-call")
            .assistantId("asst-shape")
            .cost("0.2712340")
            .build();
    CallRecord fresh =
        TestData.call("shape-2", created.minusSeconds(1))
            .updatedAt(TestServer.NOW.minusSeconds(60))
            .status("ended")
            .cost("0.5")
            .build();
    TestServer.User user = userWith(List.of(call, fresh));
    server.names.replace(
        user.id(),
        new AssistantRoster(Map.of("asst-shape", "Front desk"), Set.of("asst-shape"), created));

    JsonNode calls = server.get("/api/vapi/calls?" + FEB, user.token()).json().get("calls");

    assertThat(calls.get(0).toString())
        .isEqualTo(
            "{\"id\":\"shape-1\",\"createdAt\":\"2024-02-10T09:00:00Z\","
                + "\"startedAt\":\"2024-02-10T09:00:01Z\",\"endedAt\":\"2024-02-10T09:02:32Z\","
                + "\"type\":\"inboundPhoneCall\",\"status\":\"ended\","
                + "\"endedReason\":\"customer-ended-call\",\"assistantId\":\"asst-shape\","
                + "\"assistantName\":\"Front desk\",\"minutes\":2.5167,\"cost\":0.271234,"
                + "\"final\":true}");
    // Changed at Vapi a minute ago: its cost may still move.
    assertThat(calls.get(1).get("final").booleanValue()).isFalse();
    assertThat(calls.get(1).get("minutes").isNull()).isTrue();
  }

  @Test
  void givenALimitOutOfRangeOrNotAWholeNumber_list_answers400InvalidRequest() {
    TestServer.User user = userWith(hourly("limit", 3));

    for (String limit : List.of("0", "501", "-1", "abc", "1.5", "", "+5", "1e2", "99999999999")) {
      TestServer.Response response =
          server.get("/api/vapi/calls?" + FEB + "&limit=" + encode(limit), user.token());

      assertThat(response.isContractError("invalid_request")).as(limit).isTrue();
      assertThat(response.status()).as(limit).isEqualTo(400);
    }
    assertThat(server.get("/api/vapi/calls?" + FEB + "&limit=500", user.token()).status())
        .isEqualTo(200);
    assertThat(server.get("/api/vapi/calls?" + FEB + "&limit=1", user.token()).json().get("calls"))
        .hasSize(1);
  }

  @Test
  void givenARepeatedParameterOrAnEmptyFilter_list_answers400InvalidRequest() {
    TestServer.User user = userWith(hourly("repeat", 3));

    for (String query :
        List.of(
            "limit=5&limit=6",
            "type=webCall&type=inboundPhoneCall",
            "assistantId=a&assistantId=a",
            "startDate=2024-02-01&startDate=2024-02-02",
            "assistantId=",
            "status=",
            "endedReason")) {
      TestServer.Response response = server.get("/api/vapi/calls?" + query, user.token());

      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.isContractError("invalid_request")).as(query).isTrue();
    }
  }

  @Test
  void givenBadDates_list_answersLikeUsage() {
    TestServer.User user = server.newUser();

    assertThat(
            server
                .get("/api/vapi/calls?startDate=2024-2-1", user.token())
                .isContractError("invalid_date"))
        .isTrue();
    assertThat(
            server
                .get("/api/vapi/calls?startDate=2024-02-02&endDate=2024-02-01", user.token())
                .isContractError("invalid_range"))
        .isTrue();
    assertThat(
            server
                .get("/api/vapi/calls?startDate=2023-01-01&endDate=2024-02-01", user.token())
                .isContractError("range_too_large"))
        .isTrue();
    assertThat(
            server
                .get("/api/vapi/calls?timezone=Mars/Olympus", user.token())
                .isContractError("invalid_timezone"))
        .isTrue();
  }

  @Test
  void withoutDates_list_showsTheCurrentMonthToToday() {
    TestServer.User user =
        userWith(
            List.of(
                TestData.endedCall("this-month", Instant.parse("2024-02-03T00:00:00Z"), 60, "1"),
                TestData.endedCall("last-month", Instant.parse("2024-01-31T00:00:00Z"), 60, "1")));

    assertThat(allPages(user, "timezone=UTC", 50, () -> {})).containsExactly("this-month");
  }

  @Test
  void givenATamperedCursor_list_answers400InvalidCursor() {
    TestServer.User user = userWith(hourly("tamper", 12));
    String cursor = firstCursor(user, FEB + "&limit=5");
    List<String> tampered = new ArrayList<>();
    for (int i = 0; i < cursor.length(); i++) {
      char flipped = cursor.charAt(i) == 'A' ? 'B' : 'A';
      tampered.add(cursor.substring(0, i) + flipped + cursor.substring(i + 1));
    }
    tampered.addAll(List.of("", "not-a-cursor", cursor + "A", cursor.substring(1), "%%%"));

    for (String bad : tampered) {
      TestServer.Response response =
          server.get("/api/vapi/calls?" + FEB + "&limit=5&cursor=" + encode(bad), user.token());

      assertThat(response.status()).as(bad).isEqualTo(400);
      assertThat(response.isContractError("invalid_cursor")).as(bad).isTrue();
    }
  }

  @Test
  void anotherUsersCursor_orOneFromAnotherQuery_answers400InvalidCursor() {
    TestServer.User owner = userWith(hourly("owner", 12));
    TestServer.User other = userWith(hourly("other", 12));
    String cursor = firstCursor(owner, FEB + "&limit=5");

    TestServer.Response foreign =
        server.get("/api/vapi/calls?" + FEB + "&limit=5&cursor=" + cursor, other.token());
    assertThat(foreign.isContractError("invalid_cursor")).isTrue();

    for (String otherQuery :
        List.of(
            "startDate=2024-02-02&endDate=2024-02-15",
            "startDate=2024-02-01&endDate=2024-02-14",
            FEB + "&timezone=Europe/Berlin",
            FEB + "&type=inboundPhoneCall",
            FEB + "&assistantId=null",
            FEB + "&status=ended")) {
      TestServer.Response response =
          server.get("/api/vapi/calls?" + otherQuery + "&limit=5&cursor=" + cursor, owner.token());

      assertThat(response.isContractError("invalid_cursor")).as(otherQuery).isTrue();
    }
    // Another page size is the same query: the cursor still holds.
    assertThat(
            server
                .get("/api/vapi/calls?" + FEB + "&limit=7&cursor=" + cursor, owner.token())
                .status())
        .isEqualTo(200);
  }

  @Test
  void oneCall_showsTheListFieldsPlusUpdatedAtTheExactBreakdownAndVapisCostItems() {
    Instant created = Instant.parse("2024-02-10T09:00:00Z");
    CallRecord call =
        TestData.call("detail-1", created)
            .updatedAt(created.plusSeconds(200))
            .talked(created.plusSeconds(1), created.plusSeconds(61))
            .status("ended")
            .assistantId("asst-1")
            .cost("0.1434567")
            .costs("0.01", "0.02", "0.0234567", "0.04", "0.05", "0")
            .items(
                List.of(
                    TestData.modelItem("openai", "gpt-4o", "0.0234567", 1200L, 80L),
                    TestData.voiceItem("11labs", null, "voice-7", "0.04", 340L),
                    TestData.transcriberItem("deepgram", "nova-2", "0.02", "1.0166666667")))
            .build();
    TestServer.User user = userWith(List.of(call));

    TestServer.Response response = server.get("/api/vapi/calls/detail-1", user.token());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonNode json = response.json();
    assertThat(json.get("id").textValue()).isEqualTo("detail-1");
    assertThat(json.get("updatedAt").textValue()).isEqualTo("2024-02-10T09:03:20Z");
    assertThat(json.get("minutes").decimalValue()).isEqualByComparingTo("1");
    assertThat(json.get("costBreakdown").toString())
        .isEqualTo(
            "{\"transport\":0.01,\"stt\":0.02,\"llm\":0.0234567,\"tts\":0.04,\"vapi\":0.05,"
                + "\"analysis\":0}");
    assertThat(json.get("costs").toString())
        .isEqualTo(
            "[{\"type\":\"model\",\"cost\":0.0234567,\"provider\":\"openai\",\"model\":\"gpt-4o\","
                + "\"promptTokens\":1200,\"completionTokens\":80},"
                + "{\"type\":\"voice\",\"cost\":0.04,\"provider\":\"11labs\",\"voiceId\":\"voice-7\","
                + "\"characters\":340},"
                + "{\"type\":\"transcriber\",\"cost\":0.02,\"provider\":\"deepgram\","
                + "\"model\":\"nova-2\",\"minutes\":1.0166666667}]");
  }

  @Test
  void anotherUsersCall_orAnUnknownId_answers404NotFound() {
    TestServer.User owner = userWith(List.of(TestData.endedCall("private-1", FEB_1, 60, "1")));
    TestServer.User other = server.newUser();

    assertThat(server.get("/api/vapi/calls/private-1", owner.token()).status()).isEqualTo(200);
    for (String path :
        List.of("/api/vapi/calls/private-1", "/api/vapi/calls/nobody", "/api/vapi/calls/%20")) {
      TestServer.Response response = server.get(path, other.token());

      assertThat(response.status()).as(path).isEqualTo(404);
      assertThat(response.isContractError("not_found")).as(path).isTrue();
    }
  }

  @Test
  void theCallsRoutes_needAnAuthenticatedCaller() {
    for (String path :
        List.of(
            "/api/vapi/calls",
            "/api/vapi/calls/x",
            "/api/vapi/calls/export",
            "/api/vapi/usage/export")) {
      TestServer.Response response = server.get(path, null);

      assertThat(response.status()).as(path).isEqualTo(401);
      assertThat(response.isContractError("unauthorized")).as(path).isTrue();
    }
  }

  @Test
  void usage_showsByModelStuckCallsAndAssistantNames() {
    Instant created = Instant.parse("2024-02-10T09:00:00Z");
    TestServer.User user =
        userWith(
            List.of(
                TestData.call("m-1", created)
                    .status("ended")
                    .assistantId("asst-1")
                    .cost("0.05")
                    .costs("0", "0", "0.03", "0.02", "0", "0")
                    .items(
                        List.of(
                            TestData.modelItem("openai", "gpt-4o", "0.03", 100L, 10L),
                            TestData.voiceItem("11labs", null, "voice-7", "0.02", 40L)))
                    .build(),
                TestData.queuedCall("stuck-1", Instant.parse("2024-02-12T09:00:00Z")),
                TestData.queuedCall("recent-1", TestServer.NOW.minusSeconds(60))));
    server.names.replace(
        user.id(), new AssistantRoster(Map.of("asst-1", "Front desk"), Set.of("asst-1"), created));

    JsonNode usage = server.get("/api/vapi/usage?" + FEB, user.token()).json();

    assertThat(usage.get("stuckCalls").longValue()).isEqualTo(1);
    assertThat(usage.at("/byAssistant/0/assistantName").textValue()).isEqualTo("Front desk");
    assertThat(usage.get("byModel").toString())
        .isEqualTo(
            "[{\"component\":\"model\",\"provider\":\"openai\",\"model\":\"gpt-4o\",\"calls\":1,"
                + "\"cost\":0.03,\"promptTokens\":100,\"completionTokens\":10},"
                + "{\"component\":\"voice\",\"provider\":\"11labs\",\"model\":\"voice-7\","
                + "\"calls\":1,\"cost\":0.02,\"characters\":40}]");
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode model : usage.get("byModel")) {
      sum = sum.add(model.get("cost").decimalValue());
    }
    assertThat(sum)
        .isEqualByComparingTo(
            usage
                .at("/costBreakdown/llm")
                .decimalValue()
                .add(usage.at("/costBreakdown/tts").decimalValue())
                .add(usage.at("/costBreakdown/stt").decimalValue()));
  }
}
