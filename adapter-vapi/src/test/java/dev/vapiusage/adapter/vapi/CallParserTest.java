package dev.vapiusage.adapter.vapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CallParserTest {
  private final CallParser parser = new CallParser();

  @Test
  void givenVapiDocumentationExample_readArray_mapsEveryFieldUsageNeeds() throws IOException {
    List<CallRecord> calls = parse("call-list-example.json");

    assertThat(calls).hasSize(3);
    CallRecord inbound = calls.get(0);
    assertThat(inbound.id()).isEqualTo("0f6b2c1e-7d4a-4c8e-9b21-5a3e8f9d1c01");
    assertThat(inbound.orgId()).isEqualTo("6a1f3d2b-9c4e-4f7a-8b05-2e9d7c6b5a40");
    assertThat(inbound.type()).isEqualTo("inboundPhoneCall");
    assertThat(inbound.status()).isEqualTo("ended");
    assertThat(inbound.endedReason()).isEqualTo("customer-ended-call");
    assertThat(inbound.assistantId()).isEqualTo("3c9e7b1a-2f4d-4e6b-a8c1-9d0e5f7a2b63");
    assertThat(inbound.createdAt()).isEqualTo(Instant.parse("2026-08-18T14:02:11.482Z"));
    assertThat(inbound.updatedAt()).isEqualTo(Instant.parse("2026-08-18T14:05:49.907Z"));
    assertThat(inbound.startedAt()).isEqualTo(Instant.parse("2026-08-18T14:02:12.015Z"));
    assertThat(inbound.endedAt()).isEqualTo(Instant.parse("2026-08-18T14:05:36.515Z"));
    assertThat(inbound.cost()).isEqualTo(new BigDecimal("0.308"));
    assertThat(inbound.costs())
        .isEqualTo(components("0.0289", "0.0341", "0.0407", "0.0331", "0.1704", "0.0008"));

    CallRecord web = calls.get(1);
    assertThat(web.type()).isEqualTo("webCall");
    assertThat(web.cost()).isEqualTo(new BigDecimal("0.0931"));
    assertThat(web.costs()).isEqualTo(components("0", "0.012", "0.0093", "0.0118", "0.06", "0"));

    assertThat(web.orgId()).as("repeating values are read once per body").isSameAs(inbound.orgId());

    CallRecord inProgress = calls.get(2);
    assertThat(inProgress.status()).isEqualTo("in-progress");
    assertThat(inProgress.endedAt()).isNull();
    assertThat(inProgress.endedReason()).isNull();
    assertThat(inProgress.cost()).isEqualTo(BigDecimal.ZERO);
    assertThat(inProgress.costs()).isEqualTo(CostComponents.ZERO);
  }

  @Test
  void givenUnknownFieldsAndCostTypes_readArray_keepsTheCallAndCountsOnlyKnownComponents()
      throws IOException {
    CallRecord call = parse("unknown-fields-and-cost-types.json").get(0);

    assertThat(call.type()).isEqualTo("vapi.sipCall");
    assertThat(call.endedReason()).isEqualTo("call.in-progress.error-some-brand-new-reason");
    assertThat(call.cost()).isEqualTo(new BigDecimal("0.41256"));
    // analysis = summary + structuredData + successEvaluation + structuredOutput + sentimentScore;
    // token counts, text and nested objects are not costs.
    assertThat(call.costs())
        .isEqualTo(components("0.0597", "0.0698", "0.0542", "0.0651", "0.1165", "0.02136"));
  }

  @Test
  void givenNullsForEveryOptionalField_readArray_mapsThemToAbsent() throws IOException {
    List<CallRecord> calls = parse("nulls.json");

    CallRecord allNull = calls.get(0);
    assertThat(allNull.orgId()).isNull();
    assertThat(allNull.type()).isNull();
    assertThat(allNull.status()).isNull();
    assertThat(allNull.endedReason()).isNull();
    assertThat(allNull.startedAt()).isNull();
    assertThat(allNull.endedAt()).isNull();
    assertThat(allNull.assistantId()).isNull();
    assertThat(allNull.cost()).isNull();
    assertThat(allNull.costs()).isEqualTo(CostComponents.ZERO);

    CallRecord partlyNull = calls.get(1);
    assertThat(partlyNull.cost()).isEqualTo(new BigDecimal("0.05"));
    assertThat(partlyNull.costs()).isEqualTo(components("0", "0.01", "0", "0", "0.04", "0.002"));

    CallRecord queued = calls.get(2);
    assertThat(queued.status()).isEqualTo("queued");
    assertThat(queued.cost()).as("a call Vapi has not costed has no cost").isNull();
    assertThat(queued.durationMicros()).isEmpty();
  }

  @Test
  void givenMoneyBeyondDoublePrecision_readArray_keepsEveryDigitOfTheJsonText() throws IOException {
    CallRecord call = parse("numbers-and-timestamps.json").get(0);

    assertThat(call.cost()).isEqualTo(new BigDecimal("0.30000000000000004441"));
    assertThat(new BigDecimal(Double.toString(0.30000000000000004441)))
        .as("the same text through a double loses digits")
        .isNotEqualTo(call.cost());
    assertThat(call.costs().transport()).isEqualByComparingTo("0.0000001");
    assertThat(call.costs().stt()).isEqualByComparingTo("15");
    assertThat(call.costs().llm()).isEqualByComparingTo("12345678901234567890.123456789");
    assertThat(call.costs().tts()).isEqualByComparingTo("3");
    assertThat(call.costs().vapi()).as("a numeric string").isEqualByComparingTo("0.25");
    assertThat(call.costs().analysis()).as("0.1 + 0.2 exactly").isEqualTo(new BigDecimal("0.3"));
  }

  @Test
  void givenOddButValidTimestamps_readArray_parsesThemToInstantsAndDropsAnUnreadableOptionalOne()
      throws IOException {
    CallRecord call = parse("numbers-and-timestamps.json").get(0);

    assertThat(call.createdAt()).isEqualTo(Instant.parse("2026-08-18T12:00:00Z"));
    assertThat(call.updatedAt()).isEqualTo(Instant.parse("2026-08-18T12:00:00.123456Z"));
    assertThat(call.startedAt()).isEqualTo(Instant.parse("2026-08-18T12:00:00.500Z"));
    assertThat(call.endedAt()).isNull();
  }

  @Test
  void givenNonNumericMoney_readArray_treatsItAsAbsent() throws IOException {
    CallRecord call = parse("numbers-and-timestamps.json").get(1);

    assertThat(call.cost()).isEqualByComparingTo("-0.0001");
    assertThat(call.costs()).isEqualTo(CostComponents.ZERO);
  }

  @Test
  void given600DistinctEndedReasons_readArray_keepsEveryOneAsGiven() throws IOException {
    String json = fixture("ended-reasons-600.json");
    Set<String> expected = new LinkedHashSet<>();
    Matcher reason = Pattern.compile("\"endedReason\": \"([^\"]+)\"").matcher(json);
    while (reason.find()) {
      expected.add(reason.group(1));
    }

    List<CallRecord> calls = parser.readArray(stream(json));

    assertThat(expected).hasSize(600);
    assertThat(calls).hasSize(600);
    assertThat(calls.stream().map(CallRecord::endedReason).collect(Collectors.toList()))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void givenAnyTruncationOfABody_readArray_failsInsteadOfReturningAPartialPage() {
    String json = fixture("call-list-example.json").strip();

    for (int length = 0; length < json.length(); length++) {
      String truncated = json.substring(0, length);
      assertThatThrownBy(() -> parser.readArray(stream(truncated)))
          .as("a body cut after %d of %d characters", length, json.length())
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void givenContentAfterTheArray_readArray_fails() {
    assertThatThrownBy(() -> parser.readArray(stream("[] []")))
        .isInstanceOf(CallParser.MalformedBodyException.class);
    assertThatThrownBy(() -> parser.readArray(stream("[]x"))).isInstanceOf(IOException.class);
  }

  @Test
  void givenSomethingOtherThanAnArrayOfCalls_readArray_fails() {
    assertThatThrownBy(() -> parser.readArray(stream("{\"message\":\"hi\"}")))
        .isInstanceOf(CallParser.MalformedBodyException.class);
    assertThatThrownBy(() -> parser.readArray(stream("[1, 2]")))
        .isInstanceOf(CallParser.MalformedBodyException.class);
    assertThatThrownBy(() -> parser.readArray(stream("<html>busy</html>")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> parser.readArray(stream("")))
        .isInstanceOf(CallParser.MalformedBodyException.class);
  }

  @Test
  void givenACallWithoutARequiredField_readArray_failsTheWholePage() {
    String noId =
        "[{\"createdAt\":\"2026-08-18T12:00:00.000Z\",\"updatedAt\":\"2026-08-18T12:00:00.000Z\"}]";
    String noUpdatedAt = "[{\"id\":\"a\",\"createdAt\":\"2026-08-18T12:00:00.000Z\"}]";
    String badCreatedAt =
        "[{\"id\":\"a\",\"createdAt\":\"yesterday\",\"updatedAt\":\"2026-08-18T12:00:00.000Z\"}]";
    String blankId =
        "[{\"id\":\" \",\"createdAt\":\"2026-08-18T12:00:00.000Z\",\"updatedAt\":\"2026-08-18T12:00:00.000Z\"}]";

    for (String body : List.of(noId, noUpdatedAt, badCreatedAt, blankId)) {
      assertThatThrownBy(() -> parser.readArray(stream(body)))
          .as(body)
          .isInstanceOf(CallParser.MalformedBodyException.class);
    }
  }

  @Test
  void givenAPaginatedPage_readV2Page_readsItsCallsAndItsTotal() throws IOException {
    CallParser.V2Page page = parser.readV2Page(stream(fixture("v2-page.json")));

    assertThat(page.calls()).extracting(CallRecord::id).containsExactly("v2-a", "v2-b");
    assertThat(page.totalItems()).isEqualTo(3);
    assertThat(page.hasNextPage()).isTrue();
  }

  @Test
  void givenAPaginatedPageWithoutTotal_readV2Page_fails() {
    assertThatThrownBy(() -> parser.readV2Page(stream("{\"results\":[]}")))
        .isInstanceOf(CallParser.MalformedBodyException.class);
  }

  @Test
  void givenVapiDocumentationExample_readArray_keepsEveryCostItemAndTheyAddUpToTheCost()
      throws IOException {
    CallRecord inbound = parse("call-list-example.json").get(0);

    assertThat(inbound.costItems())
        .extracting(CostItem::type)
        .containsExactly(
            "transport", "transcriber", "model", "voice", "vapi", "analysis", "analysis");
    assertThat(inbound.costItems().get(3))
        .isEqualTo(item("voice", "0.0331", "11labs", null, "burt", null, 1840L, null, null));
    assertThat(
            inbound.costItems().stream()
                .map(CostItem::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo(inbound.cost());
    assertThat(parse("call-list-example.json").get(2).costItems()).isEmpty();
  }

  @Test
  void givenEveryKnownCostItemType_readArray_flattensProviderModelVoiceAndCounts()
      throws IOException {
    CallRecord call = parse("cost-items.json").get(0);

    assertThat(call.costItems())
        .containsExactly(
            item("transport", "0.0289", "twilio", null, null, "3.4083", null, null, null),
            item("transcriber", "0.0341", "deepgram", "nova-3", null, "3.4083", null, null, null),
            item(
                "model",
                "0.0407",
                "anthropic",
                "claude-3-5-sonnet-20241022",
                null,
                null,
                null,
                18_450L,
                612L),
            item("voice", "0.0331", "11labs", "eleven_turbo_v2_5", "burt", null, 1840L, null, null),
            item("voice", "0.0002", "playht", null, "jennifer", null, 12L, null, null),
            item("vapi", "0.1704", null, null, null, "3.4083", null, null, null),
            item(
                "voicemail-detection",
                "0.0011",
                "google",
                "gemini-2.5-flash",
                null,
                null,
                null,
                null,
                null),
            item("analysis", "0.0004", "openai", "gpt-4o-mini", null, null, null, 2100L, 95L),
            item(
                "knowledge-base",
                "0.00002",
                "openai",
                "text-embedding-3-small",
                null,
                null,
                null,
                800L,
                0L));
  }

  @Test
  void givenUnknownTypesAndMissingOrMistypedFields_readArray_keepsWhatItCanAndNeverFails()
      throws IOException {
    CallRecord call = parse("cost-items.json").get(1);

    assertThat(call.costItems())
        .as("items without a string type and values that are not items are left out")
        .containsExactly(
            item("telepathy", "1000", "mindlink", null, null, "2", null, null, null),
            item("model", "0", null, null, null, null, null, null, null),
            item("voice", "0.0125", null, null, null, null, null, null, null),
            item("transcriber", "0", null, null, null, null, null, null, null),
            item("model", "0.01", null, null, null, null, null, 12L, null));
    assertThat(parse("unknown-fields-and-cost-types.json").get(0).costItems())
        .extracting(CostItem::type)
        .containsExactly(
            "transport", "voicemail-detection", "knowledge-base", "telepathy", "analysis");
  }

  @Test
  void givenHugeAndPreciseNumbers_readArray_keepsCostsAndMinutesExactAndDropsCountsBeyondALong()
      throws IOException {
    CallRecord call = parse("cost-items.json").get(2);

    CostItem model = call.costItems().get(0);
    assertThat(model.cost()).isEqualTo(new BigDecimal("0.12345678901234567890123456789"));
    assertThat(model.promptTokens()).isEqualTo(Long.MAX_VALUE);
    assertThat(model.completionTokens()).isNull();
    CostItem transport = call.costItems().get(1);
    assertThat(transport.minutes())
        .isEqualTo(new BigDecimal("12345678901234567890.1234567890123456789"));
    assertThat(transport.cost()).isEqualTo(new BigDecimal("1E-20"));
    CostItem vapi = call.costItems().get(2);
    assertThat(vapi.minutes()).isEqualByComparingTo("1000");
    assertThat(vapi.cost()).isEqualByComparingTo("123456789012345678901234567890");
  }

  @Test
  void givenCostsThatAreNullAnObjectOrEmpty_readArray_givesNoItems() throws IOException {
    List<CallRecord> calls = parse("cost-items.json");

    assertThat(calls.subList(3, 6)).allSatisfy(call -> assertThat(call.costItems()).isEmpty());
  }

  @Test
  void givenATruncatedCostsArray_readArray_fails() {
    String json = fixture("cost-items.json");
    int cut = json.indexOf("\"characters\": 1840");

    assertThatThrownBy(() -> parser.readArray(stream(json.substring(0, cut))))
        .isInstanceOf(IOException.class);
  }

  @Test
  void givenAnArrayOfAnything_skipArray_acceptsItAndRejectsOtherShapes() throws IOException {
    parser.skipArray(stream("[{\"id\":\"x\",\"nested\":[1,{\"a\":null}]}]"));

    assertThatThrownBy(() -> parser.skipArray(stream("{}"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> parser.skipArray(stream("[{\"id\":"))).isInstanceOf(IOException.class);
  }

  private List<CallRecord> parse(String name) throws IOException {
    return parser.readArray(stream(fixture(name)));
  }

  private static CostComponents components(
      String transport, String stt, String llm, String tts, String vapi, String analysis) {
    return new CostComponents(
        new BigDecimal(transport),
        new BigDecimal(stt),
        new BigDecimal(llm),
        new BigDecimal(tts),
        new BigDecimal(vapi),
        new BigDecimal(analysis));
  }

  private static CostItem item(
      String type,
      String cost,
      String provider,
      String model,
      String voiceId,
      String minutes,
      Long characters,
      Long promptTokens,
      Long completionTokens) {
    return new CostItem(
        type,
        new BigDecimal(cost),
        provider,
        model,
        voiceId,
        minutes == null ? null : new BigDecimal(minutes),
        characters,
        promptTokens,
        completionTokens);
  }

  static String fixture(String name) {
    try (InputStream in = CallParserTest.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream stream(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }
}
