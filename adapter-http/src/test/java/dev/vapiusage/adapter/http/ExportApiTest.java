package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.application.ExportCalls;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.port.CallHistory;
import dev.vapiusage.domain.testing.InMemoryAssistantNames;
import dev.vapiusage.domain.testing.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/vapi/calls/export} and {@code /usage/export} over real HTTP (contract §9.2). */
class ExportApiTest {
  private static final String FEB = "startDate=2024-02-01&endDate=2024-02-15";
  private static final String HEADER =
      "id,createdAt,startedAt,endedAt,type,status,endedReason,assistantId,assistantName,minutes,"
          + "cost,transport,stt,llm,tts,vapi,analysis";

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

  private static TestServer.User sampleUser() {
    return userWith(SampleCalls.between(LocalDate.of(2024, 1, 1), TestServer.NOW));
  }

  /** RFC 4180 records: cells split on commas outside quotes, records on CRLF outside quotes. */
  static List<List<String>> parseCsv(String body) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < body.length() && body.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        assertThat(cell).as("a quote opens a cell").isEmpty();
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r') {
        assertThat(body.charAt(i + 1)).as("CR is followed by LF").isEqualTo('\n');
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        assertThat(c).as("a bare LF ends no record").isNotEqualTo('\n');
        cell.append(c);
      }
    }
    assertThat(quoted).isFalse();
    assertThat(cell).as("the last record ends with CRLF").isEmpty();
    assertThat(row).isEmpty();
    return rows;
  }

  private static BigDecimal sum(List<List<String>> rows, int column) {
    BigDecimal sum = BigDecimal.ZERO;
    for (List<String> row : rows.subList(1, rows.size())) {
      if (!row.get(column).isEmpty()) {
        sum = sum.add(new BigDecimal(row.get(column)));
      }
    }
    return sum;
  }

  @Test
  void csvExport_isAnAttachmentWithTheContractsHeaderAndOneCrlfLinePerCallInListOrder() {
    TestServer.User user = sampleUser();

    TestServer.Response response = server.get("/api/vapi/calls/export?" + FEB, user.token());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(response.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"vapi-calls-2024-02-01-2024-02-15.csv\"");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    List<List<String>> rows = parseCsv(response.body());
    assertThat(String.join(",", rows.get(0))).isEqualTo(HEADER);
    List<String> listed = new ArrayList<>();
    server
        .get("/api/vapi/calls?" + FEB + "&limit=500", user.token())
        .json()
        .get("calls")
        .forEach(call -> listed.add(call.get("id").textValue()));
    assertThat(rows.subList(1, rows.size()).stream().map(row -> row.get(0)).toList())
        .isEqualTo(listed);
    assertThat(rows).allMatch(row -> row.size() == 17);
  }

  @Test
  void csvExport_callsAndCostSum_equalUsageForTheSameRangeExactly() {
    TestServer.User user = sampleUser();
    for (String range :
        List.of(FEB, "startDate=2024-01-01&endDate=2024-02-15&timezone=America/Los_Angeles")) {
      JsonNode usage = server.get("/api/vapi/usage?" + range, user.token()).json();

      List<List<String>> rows =
          parseCsv(server.get("/api/vapi/calls/export?" + range, user.token()).body());

      assertThat(rows.size() - 1).as(range).isEqualTo(usage.at("/totals/calls").intValue());
      assertThat(sum(rows, 10).setScale(6, RoundingMode.HALF_UP))
          .as(range)
          .isEqualTo(usage.at("/totals/cost").decimalValue().setScale(6));
      String[] components = {"transport", "stt", "llm", "tts", "vapi", "analysis"};
      for (int i = 0; i < components.length; i++) {
        assertThat(sum(rows, 11 + i).setScale(6, RoundingMode.HALF_UP))
            .as(components[i])
            .isEqualTo(usage.at("/costBreakdown/" + components[i]).decimalValue().setScale(6));
      }
    }
  }

  @Test
  void ndjsonExport_hasOneListShapedCallPerLine_equalToTheList_andSumsEqualUsage() {
    TestServer.User user = sampleUser();
    server.names.replace(
        user.id(),
        new AssistantRoster(
            Map.of(SampleCalls.ASSISTANTS.get(0), "Front desk"),
            Set.copyOf(SampleCalls.ASSISTANTS),
            TestServer.NOW));

    TestServer.Response response =
        server.get("/api/vapi/calls/export?format=ndjson&" + FEB, user.token());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/x-ndjson");
    assertThat(response.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"vapi-calls-2024-02-01-2024-02-15.ndjson\"");
    assertThat(response.body()).endsWith("\n");
    String[] lines = response.body().split("\n");
    List<JsonNode> listed = new ArrayList<>();
    server
        .get("/api/vapi/calls?" + FEB + "&limit=500", user.token())
        .json()
        .get("calls")
        .forEach(listed::add);
    List<JsonNode> exported = new ArrayList<>();
    for (String line : lines) {
      exported.add(new TestServer.Response(200, response.headers(), line).json());
    }
    assertThat(exported).isEqualTo(listed);
    assertThat(exported).anyMatch(call -> "Front desk".equals(call.get("assistantName").asText()));
    JsonNode usage = server.get("/api/vapi/usage?" + FEB, user.token()).json();
    BigDecimal cost = BigDecimal.ZERO;
    for (JsonNode call : exported) {
      cost = call.get("cost").isNull() ? cost : cost.add(call.get("cost").decimalValue());
    }
    assertThat(exported).hasSize(usage.at("/totals/calls").intValue());
    assertThat(cost.setScale(6, RoundingMode.HALF_UP))
        .isEqualTo(usage.at("/totals/cost").decimalValue().setScale(6));
  }

  @Test
  void csvExport_quotesCommasQuotesAndLineBreaks_keepsNonAscii_andDefusesFormulaCells() {
    Instant at = Instant.parse("2024-02-10T09:00:00Z");
    Map<String, String> reasons =
        Map.of(
            "comma", "hung up, then called back",
            "quote", "said \"bye\"",
            "newline", "line one\nline two\r\nline three",
            "unicode", "Grüße, 東京 ☎",
            "equals", "=HYPERLINK(\"http://x\")",
            "plus", "+1 555",
            "minus", "-2+3",
            "at", "@SUM(A1)",
            "tab", "\tindented",
            "cr", "\rreturn");
    List<CallRecord> calls = new ArrayList<>();
    int n = 0;
    for (Map.Entry<String, String> reason : reasons.entrySet()) {
      calls.add(
          TestData.call(reason.getKey(), at.plusSeconds(n++))
              .status("ended")
              .endedReason(reason.getValue())
              .assistantId("asst-quote")
              .cost("-0.5")
              .costs("-0.5", "0", "0", "0", "0", "0")
              .build());
    }
    TestServer.User user = userWith(calls);
    server.names.replace(
        user.id(),
        new AssistantRoster(
            Map.of("asst-quote", "=cmd|' /C calc'!A0, \"Zoë\""), Set.of("asst-quote"), at));

    TestServer.Response response = server.get("/api/vapi/calls/export?" + FEB, user.token());

    List<List<String>> rows = parseCsv(response.body());
    assertThat(rows).hasSize(reasons.size() + 1);
    for (List<String> row : rows.subList(1, rows.size())) {
      String reason = reasons.get(row.get(0));
      char first = reason.charAt(0);
      boolean formula = "=+-@\t\r".indexOf(first) >= 0;
      assertThat(row.get(6)).as(row.get(0)).isEqualTo(formula ? "'" + reason : reason);
      assertThat(row.get(8)).isEqualTo("'=cmd|' /C calc'!A0, \"Zoë\"");
      // Negative amounts are numbers, not text: no guard.
      assertThat(row.get(10)).isEqualTo("-0.5");
      assertThat(row.get(11)).isEqualTo("-0.5");
    }
    assertThat(response.body()).contains("\"hung up, then called back\"");
    assertThat(response.body()).contains("\"said \"\"bye\"\"\"");
    assertThat(response.body()).contains("Grüße, 東京 ☎");
  }

  @Test
  void csvExport_leavesAbsentValuesEmpty_andWritesCostsExactlyWithoutExponent() {
    Instant at = Instant.parse("2024-02-10T09:00:00Z");
    TestServer.User user =
        userWith(
            List.of(
                TestData.queuedCall("queued-1", at),
                TestData.call("exact-1", at.minusSeconds(1))
                    .talked(at, at.plusSeconds(151))
                    .status("ended")
                    .cost("1.2345678901E-7")
                    .costs("1E+1", "0.00", "0", "0", "0", "0.0000001")
                    .build()));

    List<List<String>> rows =
        parseCsv(server.get("/api/vapi/calls/export?" + FEB, user.token()).body());

    assertThat(rows.get(1))
        .containsExactly(
            "queued-1",
            "2024-02-10T09:00:00Z",
            "",
            "",
            "outboundPhoneCall",
            "queued",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "");
    assertThat(rows.get(2).subList(9, 17))
        .containsExactly("2.5167", "0.00000012345678901", "10", "0", "0", "0", "0", "0.0000001");
  }

  @Test
  void export_appliesTheListsFilters() {
    Instant at = Instant.parse("2024-02-10T09:00:00Z");
    TestServer.User user =
        userWith(
            List.of(
                TestData.call("e-1", at).assistantId("asst-a").build(),
                TestData.call("e-2", at).build(),
                TestData.call("e-3", at).assistantId("asst-b").build()));

    assertThat(
            parseCsv(
                    server
                        .get("/api/vapi/calls/export?" + FEB + "&assistantId=null", user.token())
                        .body())
                .stream()
                .skip(1)
                .map(row -> row.get(0)))
        .containsExactly("e-2");
  }

  @Test
  void givenABadFormatALimitACursorOrARepeatedParameter_export_answers400InvalidRequest() {
    TestServer.User user = userWith(List.of());

    for (String query :
        List.of(
            "format=xlsx",
            "format=CSV",
            "format=",
            "format=csv&format=ndjson",
            "limit=10",
            "cursor=abc",
            "type=",
            "type=a&type=b")) {
      TestServer.Response response =
          server.get("/api/vapi/calls/export?" + FEB + "&" + query, user.token());

      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.isContractError("invalid_request")).as(query).isTrue();
      assertThat(response.header("Content-Disposition")).as(query).isNull();
    }
    assertThat(
            server
                .get("/api/vapi/calls/export?startDate=2024-02-02&endDate=2024-02-01", user.token())
                .isContractError("invalid_range"))
        .isTrue();
  }

  @Test
  void usageExport_rowsEqualUsagesDailyEntries() {
    TestServer.User user = sampleUser();
    String range = "startDate=2024-01-20&endDate=2024-02-15&timezone=Asia/Tokyo";
    JsonNode usage = server.get("/api/vapi/usage?" + range, user.token()).json();

    TestServer.Response response =
        server.get("/api/vapi/usage/export?format=csv&" + range, user.token());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(response.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"vapi-usage-2024-01-20-2024-02-15.csv\"");
    List<List<String>> rows = parseCsv(response.body());
    assertThat(rows.get(0)).containsExactly("date", "calls", "minutes", "cost");
    assertThat(rows).hasSize(usage.get("daily").size() + 1);
    for (int i = 0; i < usage.get("daily").size(); i++) {
      JsonNode day = usage.get("daily").get(i);
      assertThat(rows.get(i + 1))
          .containsExactly(
              day.get("date").textValue(),
              day.get("calls").asText(),
              day.get("minutes").decimalValue().toPlainString(),
              day.get("cost").decimalValue().toPlainString());
    }
  }

  @Test
  void usageExport_defaultsToCsv_andRefusesOtherFormats() {
    TestServer.User user = server.newUser();

    assertThat(server.get("/api/vapi/usage/export?" + FEB, user.token()).status()).isEqualTo(200);
    assertThat(
            server
                .get("/api/vapi/usage/export?format=ndjson&" + FEB, user.token())
                .isContractError("invalid_request"))
        .isTrue();
  }

  @Test
  void headOfAnExport_answersItsHeadersWithoutABody() {
    TestServer.User user = sampleUser();

    TestServer.Response response =
        server.send("HEAD", "/api/vapi/calls/export?" + FEB, user.token(), null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Disposition")).contains("vapi-calls-");
    assertThat(response.body()).isEmpty();
  }

  /** A call history that hands over {@code before} calls, then waits until released. */
  private static final class PausingHistory implements CallHistory {
    final CountDownLatch release = new CountDownLatch(1);
    final int before;
    final int after;
    final RuntimeException failure;

    PausingHistory(int before, int after, RuntimeException failure) {
      this.before = before;
      this.after = after;
      this.failure = failure;
    }

    @Override
    public void forEach(UserId userId, CallQuery query, Consumer<CallRecord> each) {
      Instant at = Instant.parse("2024-02-10T00:00:00Z");
      for (int i = 0; i < before + after; i++) {
        if (i == before) {
          if (failure != null) {
            throw failure;
          }
          try {
            assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
        each.accept(TestData.endedCall("stream-" + i, at.minusSeconds(i), 60, "0.01"));
      }
    }

    @Override
    public List<CallRecord> page(
        UserId userId, CallQuery query, Optional<CallPosition> after, int limit) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<CallRecord> find(UserId userId, String callId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long countStuck(UserId userId, DateRange range, Instant createdBefore) {
      throw new UnsupportedOperationException();
    }
  }

  private static TestServer serverExporting(CallHistory history) {
    return new TestServer(
        builder ->
            builder.exportCalls(
                new ExportCalls(history, new InMemoryAssistantNames(), Clock.systemUTC())));
  }

  @Test
  void theCsvExport_reachesTheClientWhileTheUseCaseIsStillHandingOverCalls() throws Exception {
    PausingHistory history = new PausingHistory(5_000, 1_000, null);
    try (TestServer paused = serverExporting(history)) {
      TestServer.User user = paused.newUser();

      var response = paused.stream("/api/vapi/calls/export?" + FEB, user.token());
      assertThat(response.statusCode()).isEqualTo(200);
      try (BufferedReader body =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        // The export is paused halfway: these lines can only have come while it runs.
        assertThat(body.readLine()).isEqualTo(HEADER);
        assertThat(body.readLine()).startsWith("stream-0,");
        assertThat(history.release.getCount()).isEqualTo(1);
        history.release.countDown();
        long lines = 2 + body.lines().count();
        assertThat(lines).isEqualTo(1 + 6_000);
      }
    }
  }

  @Test
  void givenAFailureBeforeAnythingIsSent_theExport_answersTheContractsErrorWithoutAnAttachment() {
    try (TestServer failing =
        serverExporting(new PausingHistory(0, 10, new IllegalStateException("database down")))) {
      TestServer.User user = failing.newUser();

      TestServer.Response response = failing.get("/api/vapi/calls/export?" + FEB, user.token());

      assertThat(response.status()).isEqualTo(500);
      assertThat(response.isContractError("internal_error")).isTrue();
      assertThat(response.header("Content-Disposition")).isNull();
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
  }

  @Test
  void givenAFailureAfterTheFirstBytes_theExport_breaksTheTransferInsteadOfEndingTheFile()
      throws Exception {
    try (TestServer failing =
        serverExporting(new PausingHistory(5_000, 10, new IllegalStateException("db lost")))) {
      TestServer.User user = failing.newUser();

      var response = failing.stream("/api/vapi/calls/export?" + FEB, user.token());

      assertThat(response.statusCode()).isEqualTo(200);
      try (InputStream body = response.body()) {
        assertThatThrownBy(body::readAllBytes).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void exportFileNames_nameTheResolvedRange() {
    TestServer.User user = server.newUser();

    assertThat(
            server
                .get(
                    "/api/vapi/calls/export?timezone="
                        + URLEncoder.encode("UTC", StandardCharsets.UTF_8),
                    user.token())
                .header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"vapi-calls-2024-02-01-2024-02-15.csv\"");
  }
}
