package dev.vapiusage.adapter.http;

import static dev.vapiusage.adapter.http.HttpAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.testing.TestData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiEndpointsTest {
  private final TestServer server = new TestServer();
  private final List<TestServer.Response> responses = new ArrayList<>();

  @AfterEach
  void stop() {
    server.close();
  }

  private TestServer.Response send(String method, String path, String token, String body) {
    TestServer.Response response = server.send(method, path, token, body);
    responses.add(response);
    return response;
  }

  private TestServer.Response get(String path, String token) {
    return send("GET", path, token, null);
  }

  private static String connectBody(ApiKey key) {
    return "{\"apiKey\":\"" + key.reveal() + "\"}";
  }

  /** Three February calls and one on the last minute of January (UTC). */
  private void putFebruaryCalls() {
    server.vapi.calls.put(
        List.of(
            TestData.call("c1", Instant.parse("2024-02-10T12:00:00Z"))
                .talked(
                    Instant.parse("2024-02-10T12:00:05Z"), Instant.parse("2024-02-10T12:01:35Z"))
                .cost("0.123456789")
                .costs("0.1", "0.01", "0.003456789", "0.01", "0", "0")
                .assistantId("a1")
                .type("inboundPhoneCall")
                .endedReason("customer-ended-call")
                .build(),
            TestData.call("c2", Instant.parse("2024-02-11T23:30:00Z"))
                .talked(
                    Instant.parse("2024-02-11T23:30:00Z"), Instant.parse("2024-02-11T23:31:01Z"))
                .cost("1.5")
                .costs("1", "0.2", "0.1", "0.1", "0.05", "0.05")
                .type("webCall")
                .build(),
            TestData.queuedCall("c3", Instant.parse("2024-02-12T00:00:00Z")),
            TestData.endedCall("c4", Instant.parse("2024-01-31T23:59:00Z"), 60, "2")));
  }

  @Test
  void givenANewUser_status_isNotConnectedWithEveryOtherFieldNull() {
    TestServer.User user = server.newUser();

    TestServer.Response response = get("/api/vapi/connect", user.token());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    assertThat(response.json().toString())
        .isEqualTo(
            "{\"connected\":false,\"keyHint\":null,\"connectedAt\":null,\"lastSyncedAt\":null,"
                + "\"lastSyncStatus\":null,\"lastSyncError\":null,\"webhookUrl\":null}");
  }

  @Test
  void connectingAnAcceptedKey_storesIt_andAnswersTheStatusWithOnlyItsHint() {
    TestServer.User user = server.newUser();
    ApiKey key = ApiKey.of("sk-live-1234567890abcdef9f3a");
    server.vapi.calls.accept(key);

    TestServer.Response response =
        send("POST", "/api/vapi/connect", user.token(), connectBody(key));

    assertThat(response.status()).isEqualTo(200);
    JsonNode status = response.json();
    assertThat(status.get("connected").booleanValue()).isTrue();
    assertThat(status.get("keyHint").textValue()).isEqualTo("…9f3a");
    assertThat(status.get("connectedAt").textValue()).isEqualTo("2024-02-15T10:00:00Z");
    assertThat(status.get("lastSyncStatus").isNull()).isTrue();
    assertThat(server.integrations.find(user.id()).orElseThrow().isConnected()).isTrue();
    assertThat(get("/api/vapi/connect", user.token()).json()).isEqualTo(status);
    assertNoResponseContains(key.reveal());
  }

  @Test
  void connectingAKeyVapiRejects_answersInvalidApiKey_andLeavesTheExistingConnectionAsItWas() {
    ApiKey good = TestData.anyApiKey();
    TestServer.User user = server.connectedUser(good);
    JsonNode before = get("/api/vapi/connect", user.token()).json();

    TestServer.Response response =
        send("POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"sk-rejected-by-vapi\"}");

    assertError(response, 400, "invalid_api_key");
    assertThat(response.json().get("error").textValue()).isEqualTo("Invalid API key");
    assertThat(get("/api/vapi/connect", user.token()).json()).isEqualTo(before);
  }

  @Test
  void givenNeverConnected_connectingARejectedKey_storesNothing() {
    TestServer.User user = server.newUser();

    assertError(
        send("POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"sk-nope\"}"),
        400,
        "invalid_api_key");

    assertThat(server.integrations.find(user.id())).isEmpty();
  }

  @Test
  void givenVapiIsDown_connecting_answersVapiUnavailable() {
    TestServer.User user = server.newUser();
    server.vapi.calls.unavailable(true);

    assertError(
        send("POST", "/api/vapi/connect", user.token(), connectBody(TestData.anyApiKey())),
        502,
        "vapi_unavailable");

    assertThat(server.integrations.find(user.id())).isEmpty();
  }

  @ParameterizedTest(name = "body {0}")
  @ValueSource(
      strings = {
        "",
        "   ",
        "not json",
        "{",
        "{\"apiKey\":\"sk-1\"} trailing",
        "[]",
        "\"sk-1\"",
        "null",
        "{}",
        "{\"apiKey\":null}",
        "{\"apiKey\":42}",
        "{\"apiKey\":true}",
        "{\"apiKey\":[\"sk-1\"]}",
        "{\"apiKey\":{\"value\":\"sk-1\"}}",
        "{\"apiKey\":\"\"}",
        "{\"apiKey\":\"   \"}",
        "{\"apiKey\":\"a\",\"apiKey\":\"b\"}",
        "{\"apikey\":\"sk-1\"}"
      })
  void connectingWithAMissingOrMalformedKey_answersInvalidRequest(String body) {
    TestServer.User user = server.newUser();
    server.vapi.calls.accept(ApiKey.of("sk-1"));

    assertError(send("POST", "/api/vapi/connect", user.token(), body), 400, "invalid_request");

    assertThat(server.integrations.find(user.id())).isEmpty();
  }

  @Test
  void connectingAKeyLongerThan512Characters_answersInvalidRequest_butExactly512IsAccepted() {
    TestServer.User user = server.newUser();
    String longest = "k".repeat(512);
    server.vapi.calls.accept(ApiKey.of(longest));

    assertError(
        send("POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"" + "k".repeat(513) + "\"}"),
        400,
        "invalid_request");
    assertThat(
            send("POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"" + longest + "\"}")
                .status())
        .isEqualTo(200);
  }

  @Test
  void unknownFieldsInTheConnectBody_areIgnored() {
    TestServer.User user = server.newUser();
    ApiKey key = TestData.anyApiKey();
    server.vapi.calls.accept(key);

    TestServer.Response response =
        send(
            "POST",
            "/api/vapi/connect",
            user.token(),
            "{\"extra\":[1,2,{}],\"apiKey\":\"" + key.reveal() + "\"}");

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void disconnecting_deletesTheKey_andKeepsTheSyncedUsage() {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    assertThat(send("POST", "/api/vapi/sync", user.token(), null).status()).isEqualTo(200);
    int stored = server.usage.count(user.id());

    TestServer.Response response = send("DELETE", "/api/vapi/connect", user.token(), null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("connected").booleanValue()).isFalse();
    assertThat(response.json().get("keyHint").isNull()).isTrue();
    assertThat(response.json().get("lastSyncedAt").textValue()).isEqualTo("2024-02-15T10:00:00Z");
    assertThat(server.integrations.find(user.id()).orElseThrow().sealedKey()).isEmpty();
    assertThat(server.usage.count(user.id())).isEqualTo(stored).isPositive();
    assertThat(get("/api/vapi/usage", user.token()).json().at("/totals/calls").longValue())
        .isEqualTo(3);
  }

  @Test
  void givenNeverConnected_disconnecting_answers200WithTheStatus() {
    TestServer.User user = server.newUser();

    TestServer.Response response = send("DELETE", "/api/vapi/connect", user.token(), null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("connected").booleanValue()).isFalse();
  }

  @Test
  void givenNoConnection_liveMetrics_answerNotConnected() {
    TestServer.User user = server.newUser();

    assertError(get("/api/vapi/metrics", user.token()), 409, "not_connected");
  }

  @Test
  void liveMetrics_showTheContractsMetricsObjectRoundedOnlyWhenShown() {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    TestServer.Response response =
        get("/api/vapi/metrics?startDate=2024-02-01&endDate=2024-02-15", user.token());

    assertThat(response.status()).isEqualTo(200);
    JsonNode m = response.json();
    assertThat(m.get("startDate").textValue()).isEqualTo("2024-02-01");
    assertThat(m.get("endDate").textValue()).isEqualTo("2024-02-15");
    assertThat(m.get("timezone").textValue()).isEqualTo("UTC");
    assertThat(m.get("currency").textValue()).isEqualTo("USD");
    assertThat(m.get("totals").toString())
        .isEqualTo("{\"calls\":3,\"minutes\":2.5167,\"cost\":1.623457}");
    assertThat(m.get("costBreakdown").toString())
        .isEqualTo(
            "{\"transport\":1.1,\"stt\":0.21,\"llm\":0.103457,\"tts\":0.11,\"vapi\":0.05,\"analysis\":0.05}");
    assertThat(m.get("daily")).hasSize(15);
    assertThat(m.get("daily").get(0).toString())
        .isEqualTo("{\"date\":\"2024-02-01\",\"calls\":0,\"minutes\":0,\"cost\":0}");
    assertThat(m.get("daily").get(9).toString())
        .isEqualTo("{\"date\":\"2024-02-10\",\"calls\":1,\"minutes\":1.5,\"cost\":0.123457}");
    assertThat(m.get("daily").get(10).toString())
        .isEqualTo("{\"date\":\"2024-02-11\",\"calls\":1,\"minutes\":1.0167,\"cost\":1.5}");
    assertThat(m.get("byAssistant").toString())
        .isEqualTo(
            "[{\"assistantId\":null,\"assistantName\":null,\"calls\":2,\"minutes\":1.0167,"
                + "\"cost\":1.5},"
                + "{\"assistantId\":\"a1\",\"assistantName\":null,\"calls\":1,\"minutes\":1.5,"
                + "\"cost\":0.123457}]");
    assertThat(m.get("byType").get(0).get("type").textValue()).isEqualTo("webCall");
    assertThat(m.get("byType")).hasSize(3);
    assertThat(m.get("byEndedReason").get(0).get("endedReason").isNull()).isTrue();
    assertThat(m.has("lastSyncedAt")).isFalse();
    assertThat(server.usage.count(user.id())).isZero();
  }

  @Test
  void liveMetricsWithoutDates_coverTheCurrentMonthToTodayInTheTimeZone() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    server.clock.set(Instant.parse("2024-03-31T23:30:00Z"));

    JsonNode utc = get("/api/vapi/metrics", user.token()).json();
    JsonNode tokyo = get("/api/vapi/metrics?timezone=Asia/Tokyo", user.token()).json();
    JsonNode onlyEnd = get("/api/vapi/metrics?endDate=2024-02-10", user.token()).json();

    assertThat(utc.get("startDate").textValue()).isEqualTo("2024-03-01");
    assertThat(utc.get("endDate").textValue()).isEqualTo("2024-03-31");
    assertThat(tokyo.get("startDate").textValue()).isEqualTo("2024-04-01");
    assertThat(tokyo.get("endDate").textValue()).isEqualTo("2024-04-01");
    assertThat(tokyo.get("timezone").textValue()).isEqualTo("Asia/Tokyo");
    assertThat(onlyEnd.get("startDate").textValue()).isEqualTo("2024-02-01");
  }

  @Test
  void liveMetrics_seeDatesInTheRequestedTimeZone() {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    JsonNode m =
        get(
                "/api/vapi/metrics?startDate=2024-02-01&endDate=2024-02-15&timezone=Europe/Berlin",
                user.token())
            .json();

    assertThat(m.at("/totals/calls").longValue()).isEqualTo(4);
    assertThat(m.get("daily").get(0).get("calls").longValue()).isEqualTo(1);
    assertThat(m.get("daily").get(11).get("date").textValue()).isEqualTo("2024-02-12");
    assertThat(m.get("daily").get(11).get("calls").longValue()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "startDate=2024-13-01|invalid_date",
        "startDate=yesterday|invalid_date",
        "endDate=2024-02-30|invalid_date",
        "endDate=2024/02/01|invalid_date",
        "startDate=20240201|invalid_date",
        "endDate=%2B999999999-12-31|invalid_date",
        "startDate=-0001-01-01|invalid_date",
        "startDate=%202024-02-01x|invalid_date",
        "startDate=2024-02-10&endDate=2024-02-01|invalid_range",
        "startDate=2023-01-01&endDate=2024-01-02|range_too_large",
        "timezone=Mars/Olympus|invalid_timezone",
        "timezone=%00|invalid_timezone",
        "timezone=+99:00|invalid_timezone"
      })
  void liveMetricsAndUsage_answerTheContractsCodesForBadDatesAndZones(String caseText) {
    String query = caseText.split("\\|")[0];
    String code = caseText.split("\\|")[1];
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    assertError(get("/api/vapi/metrics?" + query, user.token()), 400, code);
    assertError(get("/api/vapi/usage?" + query, user.token()), 400, code);
  }

  @Test
  void aRangeOfExactly366Days_isAllowed() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    TestServer.Response response =
        get("/api/vapi/metrics?startDate=2023-01-01&endDate=2024-01-01", user.token());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("daily")).hasSize(366);
  }

  @Test
  void liveMetrics_answerInvalidApiKeyWhenVapiRejectsTheStoredKey_andVapiUnavailableWhenItIsDown() {
    ApiKey key = TestData.anyApiKey();
    TestServer.User user = server.connectedUser(key);

    server.vapi.calls.unavailable(true);
    assertError(get("/api/vapi/metrics", user.token()), 502, "vapi_unavailable");
    server.vapi.calls.unavailable(false);
    server.vapi.calls.revoke(key);
    assertError(get("/api/vapi/metrics", user.token()), 400, "invalid_api_key");
  }

  @Test
  void givenNoConnection_sync_answersNotConnected() {
    TestServer.User user = server.newUser();

    assertError(send("POST", "/api/vapi/sync", user.token(), null), 409, "not_connected");
  }

  @Test
  void theFirstSyncWithoutDates_coversTheCurrentAndThePreviousMonth() {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    TestServer.Response response = send("POST", "/api/vapi/sync", user.token(), null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().toString())
        .isEqualTo(
            "{\"status\":\"completed\",\"syncedCalls\":4,\"startDate\":\"2024-01-01\",\"endDate\":\"2024-02-15\","
                + "\"lastSyncedAt\":\"2024-02-15T10:00:00Z\"}");
    assertThat(server.usage.count(user.id())).isEqualTo(4);
    JsonNode status = get("/api/vapi/connect", user.token()).json();
    assertThat(status.get("lastSyncStatus").textValue()).isEqualTo("completed");
    assertThat(status.get("lastSyncedAt").textValue()).isEqualTo("2024-02-15T10:00:00Z");
    assertThat(status.get("lastSyncError").isNull()).isTrue();
  }

  @Test
  void aRangeSync_storesTheCallsCreatedInItsDatesAsSeenInItsTimeZone() {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    TestServer.Response utc =
        send(
            "POST",
            "/api/vapi/sync",
            user.token(),
            "{\"startDate\":\"2024-02-01\",\"endDate\":\"2024-02-10\"}");
    TestServer.Response berlin =
        send(
            "POST",
            "/api/vapi/sync",
            user.token(),
            "{\"startDate\":\"2024-02-01\",\"endDate\":\"2024-02-01\",\"timezone\":\"Europe/Berlin\",\"ignored\":1}");

    assertThat(utc.json().get("syncedCalls").longValue()).isEqualTo(1);
    assertThat(utc.json().get("startDate").textValue()).isEqualTo("2024-02-01");
    assertThat(berlin.json().get("syncedCalls").longValue()).isEqualTo(1);
    assertThat(server.usage.count(user.id())).isEqualTo(2);
  }

  @Test
  void aSyncBodyWithOnlyOneDate_defaultsTheOtherAsForMetrics() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    JsonNode onlyStart =
        send("POST", "/api/vapi/sync", user.token(), "{\"startDate\":\"2024-02-03\"}").json();
    JsonNode onlyEnd =
        send("POST", "/api/vapi/sync", user.token(), "{\"endDate\":\"2024-01-20\"}").json();

    assertThat(onlyStart.get("endDate").textValue()).isEqualTo("2024-02-15");
    assertThat(onlyEnd.get("startDate").textValue()).isEqualTo("2024-01-01");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "{\"startDate\":\"2024-02-31\"}|invalid_date",
        "{\"startDate\":20240201}|invalid_date",
        "{\"endDate\":[\"2024-02-01\"]}|invalid_date",
        "{\"startDate\":\"2024-02-10\",\"endDate\":\"2024-02-01\"}|invalid_range",
        "{\"startDate\":\"2020-01-01\",\"endDate\":\"2024-02-01\"}|range_too_large",
        "{\"startDate\":\"2024-02-01\",\"timezone\":\"Nowhere/City\"}|invalid_timezone",
        "{\"timezone\":\"Nowhere/City\"}|invalid_timezone",
        "{\"timezone\":7}|invalid_timezone",
        "[1,2]|invalid_request",
        "not json|invalid_request",
        "\"2024-02-01\"|invalid_request"
      })
  void aSyncWithABadBody_answersTheContractsCode_andStoresNothing(String caseText) {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    int separator = caseText.lastIndexOf('|');

    assertError(
        send("POST", "/api/vapi/sync", user.token(), caseText.substring(0, separator)),
        400,
        caseText.substring(separator + 1));

    assertThat(server.usage.count(user.id())).isZero();
  }

  @Test
  void aSyncThatVapiFails_answersSyncFailed_andRecordsTheFailure() {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    server.vapi.calls.unavailable(true);

    TestServer.Response response = send("POST", "/api/vapi/sync", user.token(), null);

    assertError(response, 502, "sync_failed");
    assertThat(response.json().get("error").textValue()).startsWith("Failed to sync metrics");
    JsonNode status = get("/api/vapi/connect", user.token()).json();
    assertThat(status.get("lastSyncStatus").textValue()).isEqualTo("failed");
    assertThat(status.get("lastSyncError").textValue()).isEqualTo("sync_failed");
  }

  @Test
  void givenARejectedKey_sync_answersInvalidApiKey_andTheStatusShowsIt() {
    ApiKey key = TestData.anyApiKey();
    TestServer.User user = server.connectedUser(key);
    server.vapi.calls.revoke(key);

    assertError(send("POST", "/api/vapi/sync", user.token(), null), 400, "invalid_api_key");

    JsonNode status = get("/api/vapi/connect", user.token()).json();
    assertThat(status.get("lastSyncStatus").textValue()).isEqualTo("failed");
    assertThat(status.get("lastSyncError").textValue()).isEqualTo("invalid_api_key");
  }

  @Test
  void givenNothingConnectedAndNothingStored_usage_answersZeros() {
    TestServer.User user = server.newUser();

    TestServer.Response response = get("/api/vapi/usage", user.token());

    assertThat(response.status()).isEqualTo(200);
    JsonNode usage = response.json();
    assertThat(usage.get("totals").toString()).isEqualTo("{\"calls\":0,\"minutes\":0,\"cost\":0}");
    assertThat(usage.get("daily")).hasSize(15);
    assertThat(usage.get("lastSyncedAt").isNull()).isTrue();
    assertThat(usage.get("stale").booleanValue()).isFalse();
  }

  @Test
  void givenANeverSyncedAccount_usage_syncsFirstAndAnswersTheStoredFigures() {
    putFebruaryCalls();
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    TestServer.Response response =
        get("/api/vapi/usage?startDate=2024-02-01&endDate=2024-02-15", user.token());

    assertThat(response.status()).isEqualTo(200);
    JsonNode usage = response.json();
    assertThat(usage.get("totals").toString())
        .isEqualTo("{\"calls\":3,\"minutes\":2.5167,\"cost\":1.623457}");
    assertThat(usage.get("lastSyncedAt").textValue()).isEqualTo("2024-02-15T10:00:00Z");
    assertThat(usage.get("stale").booleanValue()).isFalse();
    assertThat(usage.get("byAssistant").get(0).get("assistantId").isNull()).isTrue();
  }

  @Test
  void usageOlderThanStaleAfter_isStaleWhenItsSyncFails() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    get("/api/vapi/usage", user.token());
    server.clock.advance(Duration.ofMinutes(6));
    server.vapi.calls.unavailable(true);

    JsonNode usage = get("/api/vapi/usage", user.token()).json();

    assertThat(usage.get("stale").booleanValue()).isTrue();
    assertThat(usage.get("lastSyncedAt").textValue()).isEqualTo("2024-02-15T10:00:00Z");
  }

  @Test
  void aUser_seesAndChangesOnlyItsOwnIntegrationAndUsage() {
    putFebruaryCalls();
    ApiKey keyOfA = TestData.anyApiKey();
    TestServer.User a = server.connectedUser(keyOfA);
    TestServer.User b = server.newUser();
    send("POST", "/api/vapi/sync", a.token(), null);
    JsonNode statusOfA = get("/api/vapi/connect", a.token()).json();

    JsonNode statusSeenByB = get("/api/vapi/connect", b.token()).json();
    JsonNode usageSeenByB = get("/api/vapi/usage", b.token()).json();
    TestServer.Response syncByB = send("POST", "/api/vapi/sync", b.token(), null);
    TestServer.Response metricsByB = get("/api/vapi/metrics", b.token());
    send("DELETE", "/api/vapi/connect", b.token(), null);
    TestServer.Response guessing = get("/api/vapi/connect?userId=" + a.id().value(), b.token());

    assertThat(statusSeenByB.get("connected").booleanValue()).isFalse();
    assertThat(usageSeenByB.at("/totals/calls").longValue()).isZero();
    assertError(syncByB, 409, "not_connected");
    assertError(metricsByB, 409, "not_connected");
    assertThat(guessing.json().get("connected").booleanValue()).isFalse();
    assertThat(get("/api/vapi/connect", a.token()).json()).isEqualTo(statusOfA);
    assertThat(server.usage.count(a.id())).isEqualTo(4);
    assertThat(server.usage.count(b.id())).isZero();
    assertNoResponseContains(keyOfA.reveal());
  }

  @Test
  void theKey_appearsInNoResponseOfAFullSession() {
    putFebruaryCalls();
    ApiKey key = ApiKey.of("sk-secret-key-that-must-never-show-0000");
    TestServer.User user = server.newUser();
    server.vapi.calls.accept(key);

    send("POST", "/api/vapi/connect", user.token(), connectBody(key));
    send("POST", "/api/vapi/connect", user.token(), "{\"apiKey\":\"" + key.reveal() + "x\"}");
    get("/api/vapi/connect", user.token());
    get("/api/vapi/metrics", user.token());
    send("POST", "/api/vapi/sync", user.token(), null);
    get("/api/vapi/usage", user.token());
    send("DELETE", "/api/vapi/connect", user.token(), null);

    assertThat(responses).hasSize(7);
    assertNoResponseContains(key.reveal());
    assertNoResponseContains(key.reveal().substring(0, 20));
  }

  private void assertNoResponseContains(String secret) {
    for (TestServer.Response response : responses) {
      assertThat(response.body()).doesNotContain(secret);
      assertThat(response.headers().map().toString()).doesNotContain(secret);
    }
  }

  @Test
  void everyApiResponse_isJson_andCarriesTheSecurityHeaders() {
    TestServer.User user = server.connectedUser(TestData.anyApiKey());

    for (TestServer.Response response :
        List.of(
            get("/api/vapi/connect", user.token()),
            get("/api/vapi/usage", user.token()),
            get("/api/vapi/metrics?startDate=x", user.token()),
            get("/api/vapi/connect", null))) {
      assertThat(response.header("Content-Type")).startsWith("application/json");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(response.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
      assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    }
  }

  @Test
  void storedCalls_neverMixBetweenUsers_evenForTheSameVapiCall() {
    CallRecord shared =
        TestData.endedCall("shared", Instant.parse("2024-02-14T09:00:00Z"), 120, "0.5");
    server.vapi.calls.put(shared);
    TestServer.User a = server.connectedUser(TestData.anyApiKey());
    TestServer.User b = server.connectedUser(TestData.anyApiKey());

    send("POST", "/api/vapi/sync", a.token(), null);
    send("POST", "/api/vapi/sync", b.token(), null);
    send("DELETE", "/api/vapi/connect", a.token(), null);

    assertThat(get("/api/vapi/usage", b.token()).json().at("/totals/calls").longValue())
        .isEqualTo(1);
    assertThat(get("/api/vapi/usage", a.token()).json().at("/totals/calls").longValue())
        .isEqualTo(1);
    assertThat(get("/api/vapi/connect", b.token()).json().get("connected").booleanValue()).isTrue();
  }
}
