package dev.vapiusage.adapter.http;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.testing.TestData;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A realistic, repeatable Vapi account for the browser tests: a few hundred calls from the start of
 * the previous month up to the test clock, from several assistants, of every call type, ending for
 * various reasons, with cost breakdowns that add up to each call's cost. A few calls lack an
 * assistant or are still queued, as real ones do.
 */
final class SampleCalls {
  static final List<String> ASSISTANTS =
      List.of(
          "3f6c1a52-7b1e-4c0e-9a55-0d2b8e1f4a10",
          "8d2e4b7c-1f3a-4e6b-8c9d-2a1b3c4d5e6f",
          "c0ffee00-1234-4abc-9def-0123456789ab",
          "5a7b9c1d-2e3f-4a5b-8c7d-9e0f1a2b3c4d");

  /**
   * The names Vapi gives the assistants: one long enough to need cutting short, a comma for the
   * CSV, and the last assistant deleted (no name).
   */
  static final Map<String, String> ASSISTANT_NAMES =
      Map.of(
          ASSISTANTS.get(0), "Front desk",
          ASSISTANTS.get(1), "Appointment reminders for the dental clinic downtown, second line",
          ASSISTANTS.get(2), "Sales, outbound");

  /** The account's assistants as read at {@code readAt}: every one but the deleted is known. */
  static AssistantRoster roster(Instant readAt) {
    return new AssistantRoster(ASSISTANT_NAMES, Set.copyOf(ASSISTANTS), readAt);
  }

  private static final List<String> TYPES =
      List.of("inboundPhoneCall", "outboundPhoneCall", "webCall");
  private static final List<String> ENDED_REASONS =
      List.of(
          "customer-ended-call",
          "customer-ended-call",
          "customer-ended-call",
          "assistant-ended-call",
          "silence-timed-out",
          "voicemail",
          "customer-did-not-answer",
          "exceeded-max-duration",
          "pipeline-error-openai-llm-failed");

  private SampleCalls() {}

  /**
   * Calls created from {@code from} (UTC midnight) up to {@code until}; the same ones on every run.
   */
  static List<CallRecord> between(LocalDate from, Instant until) {
    Random random = new Random(20240215L);
    List<CallRecord> calls = new ArrayList<>();
    int n = 0;
    for (LocalDate day = from;
        day.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(until);
        day = day.plusDays(1)) {
      boolean weekend =
          day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
      // Busier this month than last, so the overview has a change to show.
      int base = day.getMonthValue() == until.atZone(ZoneOffset.UTC).getMonthValue() ? 14 : 10;
      int count = weekend ? 2 + random.nextInt(5) : base + random.nextInt(12);
      for (int i = 0; i < count; i++) {
        Instant created =
            day.atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .plusSeconds(6 * 3600 + random.nextInt(15 * 3600));
        if (!created.isBefore(until)) {
          continue;
        }
        String id = "call-" + (n++);
        if (random.nextInt(60) == 0) {
          calls.add(TestData.queuedCall(id, created));
          continue;
        }
        calls.add(endedCall(id, created, random));
      }
    }
    return calls;
  }

  private static CallRecord endedCall(String id, Instant created, Random random) {
    String endedReason = ENDED_REASONS.get(random.nextInt(ENDED_REASONS.size()));
    boolean short_ =
        endedReason.equals("customer-did-not-answer") || endedReason.equals("voicemail");
    long seconds = short_ ? 5 + random.nextInt(40) : 30 + random.nextInt(540);
    Instant started = created.plusSeconds(1 + random.nextInt(4));
    Instant ended = started.plusSeconds(seconds);
    double minutes = seconds / 60.0;
    BigDecimal transport = money(minutes * 0.0085 + random.nextInt(100) / 1_000_000.0);
    BigDecimal stt = money(minutes * 0.0102 + random.nextInt(100) / 1_000_000.0);
    BigDecimal llm = money(minutes * (0.018 + random.nextInt(40) / 1000.0));
    BigDecimal tts = money(minutes * 0.0361 + random.nextInt(100) / 1_000_000.0);
    BigDecimal vapi = money(minutes * 0.05);
    BigDecimal analysis = money(0.0011 + random.nextInt(2000) / 1_000_000.0);
    BigDecimal cost = transport.add(stt).add(llm).add(tts).add(vapi).add(analysis);
    int assistant = random.nextInt(10);
    TestData.Builder call =
        TestData.call(id, created)
            .updatedAt(ended.plus(Duration.ofSeconds(3)))
            .talked(started, ended)
            .type(TYPES.get(random.nextInt(10) < 6 ? 0 : random.nextInt(TYPES.size())))
            .status("ended")
            .endedReason(endedReason)
            .cost(cost.toPlainString())
            .costs(
                transport.toPlainString(),
                stt.toPlainString(),
                llm.toPlainString(),
                tts.toPlainString(),
                vapi.toPlainString(),
                analysis.toPlainString());
    if (assistant < 9) {
      call.assistantId(
          ASSISTANTS.get(assistant < 4 ? 0 : assistant < 6 ? 1 : assistant < 8 ? 2 : 3));
    }
    return withCostItems(call.build(), minutes, random);
  }

  /** Vapi's cost items of a call: its LLM, voice and transcriber, matching its components. */
  private static CallRecord withCostItems(CallRecord call, double minutes, Random random) {
    String[] llm = LLMS.get(random.nextInt(LLMS.size()));
    String[] voice = VOICES.get(random.nextInt(VOICES.size()));
    long prompt = Math.round(minutes * (800 + random.nextInt(400)));
    List<CostItem> items =
        List.of(
            new CostItem(
                "transport",
                call.costs().transport(),
                "twilio",
                null,
                null,
                null,
                null,
                null,
                null),
            new CostItem(
                CostItem.TRANSCRIBER,
                call.costs().stt(),
                "deepgram",
                "nova-2",
                null,
                BigDecimal.valueOf(minutes).setScale(4, RoundingMode.HALF_UP),
                null,
                null,
                null),
            new CostItem(
                CostItem.MODEL,
                call.costs().llm(),
                llm[0],
                llm[1],
                null,
                null,
                null,
                prompt,
                prompt / 5),
            new CostItem(
                CostItem.VOICE,
                call.costs().tts(),
                voice[0],
                null,
                voice[1],
                null,
                Math.round(minutes * 700),
                null,
                null),
            new CostItem("vapi", call.costs().vapi(), null, null, null, null, null, null, null),
            new CostItem(
                "analysis", call.costs().analysis(), null, null, null, null, null, null, null));
    return new CallRecord(
        call.id(),
        call.orgId(),
        call.createdAt(),
        call.updatedAt(),
        call.startedAt(),
        call.endedAt(),
        call.type(),
        call.status(),
        call.endedReason(),
        call.assistantId(),
        call.cost(),
        call.costs(),
        items);
  }

  private static final List<String[]> LLMS =
      List.of(
          new String[] {"openai", "gpt-4o"},
          new String[] {"openai", "gpt-4o-mini"},
          new String[] {"anthropic", "claude-3-5-sonnet-20241022"});
  private static final List<String[]> VOICES =
      List.of(new String[] {"11labs", "burt"}, new String[] {"playht", "jennifer"});

  private static BigDecimal money(double value) {
    return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP);
  }
}
