package dev.vapiusage.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  void givenAssistants_assistant_listsUpToLimit() throws Exception {
    SimulatorData data = SimulatorData.empty();
    try (VapiSimulator simulator = VapiSimulator.start(data, KEY)) {
      JsonNode one = json(get(simulator, "/assistant?limit=1", KEY));
      JsonNode all = json(get(simulator, "/assistant", KEY));

      assertThat(one).hasSize(1);
      assertThat(all).hasSize(data.assistantIds().size());
      assertThat(all.get(0).get("id").asText()).isEqualTo(data.assistantIds().get(0));
    }
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
