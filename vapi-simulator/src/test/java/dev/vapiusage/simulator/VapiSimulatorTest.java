package dev.vapiusage.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.sync.CallWindow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class VapiSimulatorTest {
  private static final String KEY = "sim-key";
  private static final Instant FROM = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-06-08T00:00:00Z");
  private static final CallWindow WEEK = CallWindow.created(FROM, TO);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void givenTheSameSeed_generated_producesTheSameCallsAndAnotherSeedOthers() {
    List<SimulatedCall> first = SimulatorData.generated(5, 3_000, FROM, TO).calls(WEEK);
    List<SimulatedCall> again = SimulatorData.generated(5, 3_000, FROM, TO).calls(WEEK);
    List<SimulatedCall> other = SimulatorData.generated(6, 3_000, FROM, TO).calls(WEEK);

    assertThat(again).isEqualTo(first);
    assertThat(other.get(1)).isNotEqualTo(first.get(1));
  }

  @Test
  void givenAGeneratedWeek_calls_holdEveryKindOfCallAUsageSyncMeets() {
    SimulatorData data = SimulatorData.generated(8, 30_000, FROM, TO);
    List<SimulatedCall> calls = data.calls(WEEK);

    assertThat(calls).hasSize(30_000);
    assertThat(calls)
        .allSatisfy(
            call -> {
              assertThat(call.createdAt()).isBetween(FROM, TO.minusMillis(1));
              assertThat(call.updatedAt()).isAfterOrEqualTo(call.createdAt()).isBefore(TO);
              if (call.costs() != null) {
                assertThat(call.cost()).isEqualByComparingTo(call.costs().total());
              }
            });
    for (int i = 1; i < calls.size(); i++) {
      assertThat(calls.get(i).createdAt()).isAfterOrEqualTo(calls.get(i - 1).createdAt());
    }
    assertThat(calls).extracting(SimulatedCall::status).contains("ended", "in-progress", "queued");
    assertThat(calls).anyMatch(c -> c.status().equals("queued") && c.cost() == null);
    assertThat(calls)
        .anyMatch(
            c -> c.status().equals("in-progress") && c.cost().signum() == 0 && c.costs() == null);
    assertThat(calls).anyMatch(c -> c.status().equals("ended") && c.startedAt() == null);
    assertThat(calls).anyMatch(c -> c.assistantId() == null);
    assertThat(calls.stream().map(SimulatedCall::type).collect(Collectors.toSet()))
        .contains("inboundPhoneCall", "outboundPhoneCall", "webCall");
    assertThat(
            calls.stream()
                .map(SimulatedCall::endedReason)
                .filter(r -> r != null)
                .distinct()
                .count())
        .isGreaterThan(5);
    Map<Instant, Long> perMillisecond =
        calls.stream()
            .collect(Collectors.groupingBy(SimulatedCall::createdAt, Collectors.counting()));
    assertThat(perMillisecond.values().stream().mapToLong(Long::longValue).max().orElse(0))
        .as("bursts share a millisecond")
        .isGreaterThanOrEqualTo(25);
    assertThat(calls)
        .anyMatch(
            c -> c.createdAt().toEpochMilli() % 86_400_000L == 0 && !c.createdAt().equals(FROM));
    assertThat(calls).anyMatch(c -> c.createdAt().toEpochMilli() % 86_400_000L == 86_399_999L);
    long afternoon = calls.stream().filter(c -> hour(c) >= 12 && hour(c) < 18).count();
    long night = calls.stream().filter(c -> hour(c) < 6).count();
    assertThat(afternoon).as("a daily rhythm").isGreaterThan(2 * night);
  }

  @Test
  void givenAGeneratedId_call_findsItAndAnUnknownIdFindsNothing() {
    SimulatorData data = SimulatorData.generated(9, 1_000, FROM, TO);
    SimulatedCall some = data.calls(WEEK).get(500);

    assertThat(data.call(some.id())).contains(some);
    assertThat(data.call("not-an-id")).isEmpty();
    assertThat(data.call(some.id().substring(0, 35) + "f")).isEmpty();
  }

  @Test
  void givenChangesToTheWorld_size_andLookupsFollowThem() {
    SimulatorData data = SimulatorData.generated(10, 1_000, FROM, TO);
    SimulatedCall live =
        data.calls(WEEK).stream()
            .filter(c -> c.status().equals("in-progress"))
            .findFirst()
            .orElseThrow();

    SimulatedCall ended = data.endCall(live.id(), TO.plusSeconds(60), TO.plusSeconds(90));
    SimulatedCall added = data.addEndedCall(FROM.plusSeconds(10), Duration.ofMinutes(4));
    boolean deleted = data.delete(data.calls(WEEK).get(0).id());

    assertThat(ended.status()).isEqualTo("ended");
    assertThat(ended.cost()).isPositive();
    assertThat(data.call(live.id())).contains(ended);
    assertThat(data.call(added.id())).contains(added);
    assertThat(deleted).isTrue();
    assertThat(data.size()).isEqualTo(1_000);
    assertThat(data.calls(CallWindow.updated(TO, TO.plusSeconds(3_600)))).containsExactly(ended);
    assertThatThrownBy(() -> data.endCall("nope", TO, TO))
        .isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void givenAListRequest_call_answersABareArrayOfAtMostLimitNewestFirst() throws Exception {
    SimulatorData data = SimulatorData.generated(11, 2_000, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      JsonNode five = json(get(simulator, "/call?limit=5", KEY));
      JsonNode defaults = json(get(simulator, "/call", KEY));

      assertThat(five.isArray()).isTrue();
      assertThat(five).hasSize(5);
      assertThat(defaults).hasSize(100);
      assertThat(Instant.parse(five.get(0).get("createdAt").asText()))
          .isAfterOrEqualTo(Instant.parse(five.get(4).get("createdAt").asText()));
      assertThat(simulator.requests()).extracting(RecordedRequest::results).containsExactly(5, 100);
    }
  }

  @Test
  void givenVapisParameterRules_call_rejectsWhatVapiRejects() throws Exception {
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY)) {
      HttpResponse<String> tooMany = get(simulator, "/call?limit=1001", KEY);
      HttpResponse<String> unknown = get(simulator, "/call?sort=asc&createdAtGe=yesterday", KEY);
      HttpResponse<String> wrongKey = get(simulator, "/call", "other");
      HttpResponse<String> noKey =
          HTTP.send(
              HttpRequest.newBuilder(simulator.baseUri().resolve("/call")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> post =
          HTTP.send(
              HttpRequest.newBuilder(simulator.baseUri().resolve("/call"))
                  .header("Authorization", "Bearer " + KEY)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(tooMany.statusCode()).isEqualTo(400);
      assertThat(json(tooMany).get("message").get(0).asText())
          .isEqualTo("limit must not be greater than 1000");
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(json(unknown).get("message")).hasSize(2);
      assertThat(wrongKey.statusCode()).isEqualTo(401);
      assertThat(json(wrongKey).get("message").asText()).startsWith("Invalid Key. Hot tip");
      assertThat(json(wrongKey).get("statusCode").asInt()).isEqualTo(401);
      assertThat(noKey.statusCode()).isEqualTo(401);
      assertThat(post.statusCode()).isEqualTo(404);
      assertThat(get(simulator, "/org", KEY).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void givenTimeBounds_call_appliesStrictAndInclusiveOnesToTheMillisecond() throws Exception {
    SimulatorData data = SimulatorData.empty();
    Instant t = Instant.parse("2026-06-02T10:00:00.500Z");
    for (int i = -1; i <= 1; i++) {
      data.addEndedCall(t.plusMillis(i), Duration.ofMinutes(1));
    }
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      assertThat(
              count(
                  simulator,
                  "createdAtGe=2026-06-02T10:00:00.500Z&createdAtLt=2026-06-02T10:00:00.501Z"))
          .isEqualTo(1);
      assertThat(
              count(
                  simulator,
                  "createdAtGt=2026-06-02T10:00:00.499Z&createdAtLe=2026-06-02T10:00:00.501Z"))
          .isEqualTo(2);
      assertThat(count(simulator, "createdAtGt=2026-06-02T10:00:00.4995Z")).isEqualTo(2);
      assertThat(count(simulator, "createdAtLt=2026-06-02T12:00:00.501%2B02:00")).isEqualTo(2);
      assertThat(count(simulator, "updatedAtGe=2026-06-02T10:00:00.000Z")).isEqualTo(3);
    }
  }

  @Test
  void givenAnId_callById_answersThatCallOr404() throws Exception {
    SimulatorData data = SimulatorData.generated(12, 100, FROM, TO);
    SimulatedCall call = data.calls(WEEK).get(42);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      JsonNode found = json(get(simulator, "/call/" + call.id(), KEY));

      assertThat(found.get("id").asText()).isEqualTo(call.id());
      assertThat(found.get("createdAt").asText())
          .isEqualTo(IsoMillis.format(call.createdAt().toEpochMilli()));
      if (call.cost() != null) {
        assertThat(found.get("cost").decimalValue()).isEqualByComparingTo(call.cost());
      }
      assertThat(get(simulator, "/call/unknown", KEY).statusCode()).isEqualTo(404);
      assertThat(get(simulator, "/call?id=" + call.id(), KEY).body()).contains(call.id());
    }
  }

  @Test
  void givenThePaginatedRoute_v2Call_pagesThroughEveryMatchOnce() throws Exception {
    SimulatorData data = SimulatorData.generated(13, 2_500, FROM, TO);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      Set<String> ids = new HashSet<>();
      JsonNode page;
      int number = 0;
      do {
        number++;
        page = json(get(simulator, "/v2/call?limit=1000&sortOrder=ASC&page=" + number, KEY));
        page.get("results").forEach(call -> ids.add(call.get("id").asText()));
      } while (page.get("metadata").get("hasNextPage").asBoolean());

      assertThat(number).isEqualTo(3);
      assertThat(page.get("metadata").get("totalItems").asLong()).isEqualTo(2_500);
      assertThat(ids).hasSize(2_500);
      assertThat(get(simulator.v2Route(false), "/v2/call", KEY).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void givenAssistants_assistant_listsUpToLimitNewestFirst_withNamesWhereTheyHaveOne()
      throws Exception {
    SimulatorData data = SimulatorData.empty();
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      JsonNode one = json(get(simulator, "/assistant?limit=1", KEY));
      JsonNode all = json(get(simulator, "/assistant", KEY));

      List<String> ids = data.assistantIds();
      assertThat(one).hasSize(1);
      assertThat(all).hasSize(ids.size());
      assertThat(all.get(0).get("id").asText()).isEqualTo(ids.get(ids.size() - 1));
      assertThat(all.get(ids.size() - 1).get("id").asText()).isEqualTo(ids.get(0));
      assertThat(all.get(ids.size() - 1).get("name").asText()).isEqualTo("Front desk");
      assertThat(all).anyMatch(a -> !a.has("name"));
      assertThat(all).allMatch(a -> a.get("model").has("provider") && a.has("createdAt"));
      assertThat(simulator.requests()).extracting(RecordedRequest::results).containsExactly(1, 9);
    }
  }

  @Test
  void givenVapisParameterRules_assistant_rejectsALimitAbove1000AndUnknownParameters()
      throws Exception {
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY)) {
      assertThat(get(simulator, "/assistant?limit=1000", KEY).statusCode()).isEqualTo(200);
      assertThat(get(simulator, "/assistant?limit=1001", KEY).statusCode()).isEqualTo(400);
      assertThat(get(simulator, "/assistant?page=2", KEY).statusCode()).isEqualTo(400);
      assertThat(get(simulator, "/assistant?createdAtLt=yesterday", KEY).statusCode())
          .isEqualTo(400);
      assertThat(get(simulator, "/assistant", "wrong-key").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void givenAddedAndDeletedAssistants_assistant_listsTheSavedOnesInTheirCreationBounds()
      throws Exception {
    SimulatorData data = SimulatorData.empty();
    data.assistantIds().forEach(data::deleteAssistant);
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 1_500; i++) {
      data.addAssistant("Assistant " + i, base.plusMillis(i / 3));
    }
    String gone = data.assistantIds().get(10);
    data.deleteAssistant(gone);
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      JsonNode newest = json(get(simulator, "/assistant?limit=1000", KEY));
      JsonNode below =
          json(get(simulator, "/assistant?limit=1000&createdAtLe=" + base.plusMillis(10), KEY));
      JsonNode between =
          json(
              get(
                  simulator,
                  "/assistant?createdAtGe="
                      + base.plusMillis(2)
                      + "&createdAtLt="
                      + base.plusMillis(4),
                  KEY));

      assertThat(newest).hasSize(1_000);
      assertThat(newest.get(0).get("name").asText()).isEqualTo("Assistant 1499");
      assertThat(below).hasSize(32);
      assertThat(below).noneMatch(a -> a.get("id").asText().equals(gone));
      assertThat(between).as("the deleted one was created at 3 ms").hasSize(5);
    }
  }

  @Test
  void givenAGeneratedWorld_calls_nameDeletedAssistantsAndOneWithoutAName() {
    SimulatorData data = SimulatorData.generated(21, 20_000, FROM, TO);
    Set<String> named = new HashSet<>(data.assistantIds());
    Set<String> used =
        data.calls(WEEK).stream()
            .map(SimulatedCall::assistantId)
            .filter(id -> id != null)
            .collect(Collectors.toSet());

    assertThat(used).containsAll(named);
    assertThat(used.stream().filter(id -> !named.contains(id))).hasSize(2);
  }

  @Test
  void givenAGeneratedWorld_costItems_varyProvidersAndAddUpToEachComponentExactly() {
    List<SimulatedCall> calls = SimulatorData.generated(9, 20_000, FROM, TO).calls(WEEK);
    Set<String> llms = new HashSet<>();
    Set<String> voices = new HashSet<>();
    Set<String> transcribers = new HashSet<>();
    int squads = 0;
    for (SimulatedCall call : calls) {
      List<CostItem> items = call.costItems();
      if (call.costs() == null) {
        assertThat(items).isEmpty();
        continue;
      }
      SimulatedCall.Costs c = call.costs();
      assertThat(sum(items, "model")).isEqualByComparingTo(c.llm());
      assertThat(sum(items, "voice")).isEqualByComparingTo(c.tts());
      assertThat(sum(items, "transcriber")).isEqualByComparingTo(c.stt());
      assertThat(sum(items, "transport")).isEqualByComparingTo(c.transport());
      assertThat(sum(items, "vapi")).isEqualByComparingTo(c.vapi());
      assertThat(sum(items, "analysis"))
          .isEqualByComparingTo(c.summary().add(c.successEvaluation()));
      assertThat(items.stream().map(CostItem::cost).reduce(BigDecimal.ZERO, BigDecimal::add))
          .isEqualByComparingTo(call.cost());
      for (CostItem item : items) {
        switch (item.type()) {
          case "model":
            llms.add(item.provider() + "/" + item.model());
            assertThat(item.promptTokens()).isNotNull();
            break;
          case "voice":
            voices.add(item.provider() + "/" + item.model() + "/" + item.voiceId());
            assertThat(item.voiceId()).isNotNull();
            break;
          case "transcriber":
            transcribers.add(item.provider() + "/" + item.model());
            break;
          default:
            break;
        }
      }
      if (items.stream().filter(i -> i.type().equals("model")).count() == 2) {
        squads++;
      }
    }
    assertThat(llms.stream().map(m -> m.split("/")[0]).collect(Collectors.toSet()))
        .contains("openai", "anthropic", "google");
    assertThat(llms).contains("openai/gpt-4o", "openai/gpt-4o-mini");
    assertThat(voices).contains("11labs/eleven_turbo_v2_5/burt", "playht/null/jennifer");
    assertThat(transcribers).contains("deepgram/nova-2", "deepgram/nova-3", "assembly-ai/null");
    assertThat(squads).isBetween(calls.size() / 20, calls.size() / 5);
  }

  @Test
  void givenACostedCall_json_writesItsCostItemsAsVapiNestsThem() throws Exception {
    SimulatorData data = SimulatorData.generated(12, 400, FROM, TO);
    SimulatedCall call =
        data.calls(WEEK).stream()
            .filter(c -> c.costs() != null && c.costs().llm().signum() > 0)
            .findFirst()
            .orElseThrow();
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      JsonNode json = json(get(simulator, "/call/" + call.id(), KEY));

      JsonNode costs = json.get("costs");
      assertThat(costs).hasSize(call.costItems().size());
      for (JsonNode item : costs) {
        switch (item.get("type").asText()) {
          case "transport":
            assertThat(item.get("provider").isTextual()).isTrue();
            break;
          case "model":
          case "analysis":
            assertThat(item.get("model").get("provider").isTextual()).isTrue();
            break;
          case "voice":
            assertThat(item.get("voice").get("voiceId").isTextual()).isTrue();
            break;
          case "transcriber":
            assertThat(item.get("transcriber").get("provider").isTextual()).isTrue();
            break;
          default:
            assertThat(item.get("type").asText()).isEqualTo("vapi");
        }
      }
      long prompt = 0;
      for (JsonNode item : costs) {
        if (item.get("type").asText().equals("model")) {
          prompt += item.get("promptTokens").asLong();
        }
      }
      assertThat(json.get("costBreakdown").get("llmPromptTokens").asLong()).isEqualTo(prompt);
    }
  }

  @Test
  void givenACallNotCostedYet_costItems_areNoneUntilItsCostsArrive() {
    SimulatorData data = SimulatorData.empty();
    SimulatedCall live = data.addInProgressCall(FROM);
    assertThat(live.costItems()).isEmpty();

    SimulatedCall ended = data.endCall(live.id(), FROM.plusSeconds(90), FROM.plusSeconds(95));
    assertThat(ended.costItems()).extracting(CostItem::type).contains("model", "voice", "vapi");
    assertThat(ended.toCallRecord().costItems()).isEqualTo(ended.costItems());
  }

  private static BigDecimal sum(List<CostItem> items, String type) {
    return items.stream()
        .filter(i -> i.type().equals(type))
        .map(CostItem::cost)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Test
  void givenGzipEnabled_call_compressesForClientsThatAcceptIt() throws Exception {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.generated(14, 50, FROM, TO), KEY).gzip(true)) {
      HttpResponse<byte[]> response =
          HTTP.send(
              HttpRequest.newBuilder(simulator.baseUri().resolve("/call?limit=10"))
                  .header("Authorization", "Bearer " + KEY)
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
      byte[] plain = new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes();
      assertThat(JSON.readTree(plain)).hasSize(10);
    }
  }

  @Test
  void givenScriptedFailures_anyRequest_getsThemInOrderThenNormalAnswers() throws Exception {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY).failNext(1, 503).failNext(1, 429)) {
      assertThat(get(simulator, "/call", KEY).statusCode()).isEqualTo(503);
      HttpResponse<String> limited = get(simulator, "/call", KEY);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).contains("1");
      assertThat(get(simulator, "/call", KEY).statusCode()).isEqualTo(200);
      assertThat(simulator.requestCount()).isEqualTo(3);
    }
  }

  @Test
  void givenFaultShares_anyRequest_failsAboutThatOftenAndStatesItsWait() throws Exception {
    Faults faults =
        Faults.none()
            .withRateLimited(0.3, Duration.ZERO, Faults.RetryAfterStyle.HTTP_DATE)
            .withServerErrors(0.1)
            .withSeed(5);
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY).faults(faults)) {
      Map<Integer, Integer> statuses = new HashMap<>();
      String retryAfter = null;
      for (int i = 0; i < 300; i++) {
        HttpResponse<String> response = get(simulator, "/call?limit=1", KEY);
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() == 429) {
          retryAfter = response.headers().firstValue("Retry-After").orElseThrow();
        }
      }

      assertThat(statuses.get(429)).isBetween(60, 120);
      assertThat(statuses.get(500)).isBetween(15, 50);
      assertThat(statuses.get(200)).isBetween(150, 225);
      assertThat(ZonedDateTime.parse(retryAfter, DateTimeFormatter.RFC_1123_DATE_TIME)).isNotNull();
      assertThat(simulator.retryAfterViolations()).isNotEmpty();
    }
  }

  @Test
  void givenNumbersToWrite_plain_printsThemAsJavaScriptWould() {
    char[] out = new char[32];

    assertThat(new String(out, 0, CallJson.plain(308_000, 6, out))).isEqualTo("0.308");
    assertThat(new String(out, 0, CallJson.plain(5, 3, out))).isEqualTo("0.005");
    assertThat(new String(out, 0, CallJson.plain(12_345, 2, out))).isEqualTo("123.45");
    assertThat(new String(out, 0, CallJson.plain(0, 6, out))).isEqualTo("0");
    assertThat(new String(out, 0, CallJson.plain(-1_500, 3, out))).isEqualTo("-1.5");
    assertThat(new String(out, 0, CallJson.plain(42, 0, out))).isEqualTo("42");
    assertThat(new BigDecimal(new String(out, 0, CallJson.plain(1, 6, out))))
        .isEqualByComparingTo("0.000001");
  }

  @Test
  void givenEpochMillis_isoMillis_formatsAsInstantDoesWithMilliseconds() {
    for (long millis :
        new long[] {0, 1, 86_399_999, 951_782_400_000L, 1_780_444_794_794L, 253_402_300_799_999L}) {
      assertThat(Instant.parse(IsoMillis.format(millis))).isEqualTo(Instant.ofEpochMilli(millis));
      assertThat(IsoMillis.format(millis)).hasSize(24);
    }
  }

  private static long hour(SimulatedCall call) {
    return call.createdAt().toEpochMilli() % 86_400_000L / 3_600_000L;
  }

  private static int count(VapiSimulator simulator, String query) throws Exception {
    return json(get(simulator, "/call?limit=1000&" + query, KEY)).size();
  }

  private static HttpResponse<String> get(VapiSimulator simulator, String pathAndQuery, String key)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(simulator.baseUri() + pathAndQuery))
            .header("Authorization", "Bearer " + key)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  private static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }
}
