package dev.vapiusage.adapter.vapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.ServerMessageReader;
import dev.vapiusage.domain.push.ServerMessage;
import dev.vapiusage.domain.push.ServerMessage.CallReport;
import dev.vapiusage.domain.push.ServerMessage.StatusUpdate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerMessageParserTest {
  private final ServerMessageReader reader = VapiClient.serverMessageReader();

  @Test
  void givenAnEndOfCallReport_read_mergesTheReportsCostsAndTimesIntoTheCall() {
    CallRecord call = report(fixture("server-message-end-of-call-report.json"));

    assertThat(call.id()).isEqualTo("c0571e30-0000-4000-8000-00000000e0c1");
    assertThat(call.orgId()).isEqualTo("org-7");
    assertThat(call.type()).isEqualTo("inboundPhoneCall");
    assertThat(call.status()).isEqualTo("ended");
    assertThat(call.assistantId()).isEqualTo("asst-9");
    assertThat(call.createdAt()).isEqualTo(Instant.parse("2026-08-18T09:00:00Z"));
    assertThat(call.updatedAt()).isEqualTo(Instant.parse("2026-08-18T09:05:38Z"));
    assertThat(call.startedAt()).isEqualTo(Instant.parse("2026-08-18T09:00:01.250Z"));
    assertThat(call.endedAt()).isEqualTo(Instant.parse("2026-08-18T09:05:35.750Z"));
    assertThat(call.endedReason()).isEqualTo("customer-ended-call");
    assertThat(call.cost()).isEqualTo(new BigDecimal("0.3081234567890123456789"));
    assertThat(call.costs())
        .isEqualTo(
            new CostComponents(
                new BigDecimal("0.0289"),
                new BigDecimal("0.0341"),
                new BigDecimal("0.0407"),
                new BigDecimal("0.0331"),
                new BigDecimal("0.1704"),
                new BigDecimal("0.0008")));
    assertThat(call.costItems())
        .extracting(CostItem::type)
        .containsExactly("transport", "transcriber", "model", "voice", "vapi");
    assertThat(call.costItems().get(2))
        .isEqualTo(
            new CostItem(
                "model",
                new BigDecimal("0.0407"),
                "openai",
                "gpt-4o",
                null,
                null,
                null,
                18450L,
                612L));
  }

  @Test
  void givenAReportWhoseCallHasNoUpdatedAt_read_takesTheMessageTimestampInEitherForm() {
    String isoForm =
        "{\"message\":{\"type\":\"end-of-call-report\",\"timestamp\":\"2026-08-18T09:06:00.123Z\","
            + "\"call\":{\"id\":\"call-1\",\"createdAt\":\"2026-08-18T09:00:00Z\"}}}";
    String millisForm =
        "{\"message\":{\"type\":\"end-of-call-report\",\"timestamp\":1787043960123,"
            + "\"call\":{\"id\":\"call-1\",\"createdAt\":\"2026-08-18T09:00:00Z\"}}}";
    String fractionForm =
        "{\"message\":{\"type\":\"end-of-call-report\",\"timestamp\":1787043960123.25,"
            + "\"call\":{\"id\":\"call-1\",\"createdAt\":\"2026-08-18T09:00:00Z\"}}}";

    assertThat(report(isoForm).updatedAt()).isEqualTo(Instant.parse("2026-08-18T09:06:00.123Z"));
    assertThat(report(millisForm).updatedAt()).isEqualTo(Instant.parse("2026-08-18T09:06:00.123Z"));
    assertThat(report(fractionForm).updatedAt())
        .isEqualTo(Instant.parse("2026-08-18T09:06:00.123250Z"));
  }

  @Test
  void givenAReportWithOnlyItsCall_read_keepsTheCallsOwnFieldsAndCallsItEnded() {
    CallRecord call =
        report(
            "{\"message\":{\"type\":\"end-of-call-report\",\"call\":{\"id\":\"call-2\","
                + "\"createdAt\":\"2026-08-18T09:00:00Z\",\"updatedAt\":\"2026-08-18T09:03:00Z\","
                + "\"cost\":0.12,\"endedReason\":\"voicemail\","
                + "\"costBreakdown\":{\"llm\":0.1,\"tts\":0.02}}}}");

    assertThat(call.status()).isEqualTo("ended");
    assertThat(call.cost()).isEqualByComparingTo("0.12");
    assertThat(call.endedReason()).isEqualTo("voicemail");
    assertThat(call.costs().llm()).isEqualByComparingTo("0.1");
    assertThat(call.costItems()).isEmpty();
    assertThat(call.startedAt()).isNull();
    assertThat(call.assistantId()).isNull();
  }

  @Test
  void givenHugeAndTinyNumbers_read_keepsThemExact() {
    CallRecord call =
        report(
            "{\"message\":{\"type\":\"end-of-call-report\",\"timestamp\":1787043960123,"
                + "\"cost\":123456789012345678901234567890.123456789012345678901234567890,"
                + "\"costs\":[{\"type\":\"model\",\"cost\":1E-30,\"promptTokens\":9007199254740993}],"
                + "\"call\":{\"id\":\"call-3\",\"createdAt\":\"2026-08-18T09:00:00Z\"}}}");

    assertThat(call.cost())
        .isEqualByComparingTo("123456789012345678901234567890.123456789012345678901234567890");
    assertThat(call.costItems().get(0).cost()).isEqualByComparingTo("1E-30");
    assertThat(call.costItems().get(0).promptTokens()).isEqualTo(9007199254740993L);
  }

  @Test
  void givenFieldsInAnyOrder_read_givesTheSameReport() {
    String callFirst =
        "{\"message\":{\"call\":{\"id\":\"call-4\",\"createdAt\":\"2026-08-18T09:00:00Z\"},"
            + "\"cost\":0.5,\"timestamp\":1787043960123,\"type\":\"end-of-call-report\"},\"x\":1}";
    String typeFirst =
        "{\"x\":[1,{\"y\":2}],\"message\":{\"type\":\"end-of-call-report\",\"timestamp\":1787043960123,"
            + "\"cost\":0.5,\"call\":{\"id\":\"call-4\",\"createdAt\":\"2026-08-18T09:00:00Z\"}}}";

    assertThat(report(callFirst)).isEqualTo(report(typeFirst));
  }

  @Test
  void givenAStatusUpdate_read_givesTheCallWithTheNewStatusAndTheMessageTime() {
    ServerMessage message = reader.read(fixture("server-message-status-update.json"));

    assertThat(message).isInstanceOf(StatusUpdate.class);
    StatusUpdate update = (StatusUpdate) message;
    assertThat(update.at()).isEqualTo(Instant.parse("2026-08-18T09:00:01.500Z"));
    assertThat(update.call().id()).isEqualTo("c0571e30-0000-4000-8000-00000000e0c2");
    assertThat(update.call().status()).isEqualTo("in-progress");
    assertThat(update.call().createdAt()).isEqualTo(Instant.parse("2026-08-18T08:59:58Z"));
    assertThat(update.call().updatedAt()).isEqualTo(Instant.parse("2026-08-18T09:00:00Z"));
    assertThat(update.call().type()).isEqualTo("outboundPhoneCall");
  }

  @Test
  void givenAStatusUpdateWithoutTimestamp_read_takesTheCallsUpdatedAt() {
    ServerMessage message =
        reader.read(
            bytes(
                "{\"message\":{\"type\":\"status-update\",\"status\":\"ended\",\"call\":{\"id\":\"call-5\","
                    + "\"createdAt\":\"2026-08-18T09:00:00Z\",\"updatedAt\":\"2026-08-18T09:04:00Z\"}}}"));

    assertThat(((StatusUpdate) message).at()).isEqualTo(Instant.parse("2026-08-18T09:04:00Z"));
    assertThat(((StatusUpdate) message).call().status()).isEqualTo("ended");
  }

  @Test
  void givenAStatusUpdateWithOnlyATimestamp_read_usesItAsTheCallsUpdatedAtToo() {
    StatusUpdate update =
        (StatusUpdate)
            reader.read(
                bytes(
                    "{\"message\":{\"type\":\"status-update\",\"status\":\"queued\",\"timestamp\":1787130000000,"
                        + "\"call\":{\"id\":\"call-6\",\"createdAt\":\"2026-08-18T09:00:00Z\"}}}"));

    assertThat(update.at()).isEqualTo(Instant.ofEpochMilli(1787130000000L));
    assertThat(update.call().updatedAt()).isEqualTo(update.at());
  }

  @Test
  void givenOtherMessageTypes_read_ignoresThemWhateverTheirCall() {
    for (String type :
        List.of("conversation-update", "speech-update", "transcript", "tool-calls", "hang")) {
      String body =
          "{\"message\":{\"type\":\""
              + type
              + "\",\"call\":{\"id\":\"c\",\"createdAt\":\"not a time\",\"updatedAt\":7},"
              + "\"timestamp\":1787130000000}}";
      assertThat(reader.read(bytes(body))).isEqualTo(new ServerMessage.Ignored(type));
    }
  }

  @Test
  void givenMalformedOrIncompleteBodies_read_failsWithInvalidRequestAndQuotesNothing() {
    List<String> bodies =
        List.of(
            "",
            "secret-value",
            "{\"message\": {\"type\": \"end-of-call-report\", \"call\": {\"id\": \"secret-value\"",
            "[\"secret-value\"]",
            "{}",
            "{\"message\": \"secret-value\"}",
            "{\"message\": {}}",
            "{\"message\": {\"type\": 42}}",
            "{\"message\": {\"type\": \"end-of-call-report\", \"timestamp\": 1787130000000}}",
            "{\"message\": {\"type\": \"end-of-call-report\", \"timestamp\": 1787130000000,"
                + " \"call\": {\"createdAt\": \"2026-08-18T09:00:00Z\"}}}",
            "{\"message\": {\"type\": \"end-of-call-report\", \"timestamp\": 1787130000000,"
                + " \"call\": {\"id\": \"secret-value\"}}}",
            "{\"message\": {\"type\": \"end-of-call-report\","
                + " \"call\": {\"id\": \"secret-value\", \"createdAt\": \"2026-08-18T09:00:00Z\"}}}",
            "{\"message\": {\"type\": \"end-of-call-report\", \"timestamp\": 1787130000000,"
                + " \"call\": {\"id\": \"x\", \"createdAt\": \"secret-value\"}}}",
            "{\"message\": {\"type\": \"status-update\", \"status\": \"ended\","
                + " \"call\": {\"id\": \"secret-value\", \"createdAt\": \"2026-08-18T09:00:00Z\"}}}",
            "{\"message\": {\"type\": \"status-update\", \"timestamp\": 1787130000000,"
                + " \"call\": {\"id\": \"secret-value\", \"createdAt\": \"2026-08-18T09:00:00Z\"}}}",
            "{\"message\": {\"type\": \"hang\"}} secret-value");
    for (String body : bodies) {
      assertThatThrownBy(() -> reader.read(bytes(body)))
          .as(body)
          .isInstanceOfSatisfying(
              UsageException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                assertThat(e.getMessage()).doesNotContain("secret-value");
                assertThat(e.getCause()).isNull();
              });
    }
  }

  private CallRecord report(String body) {
    return report(bytes(body));
  }

  private CallRecord report(byte[] body) {
    ServerMessage message = reader.read(body);
    assertThat(message).isInstanceOf(CallReport.class);
    return ((CallReport) message).call();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] fixture(String name) {
    try (InputStream in = ServerMessageParserTest.class.getResourceAsStream("/fixtures/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
