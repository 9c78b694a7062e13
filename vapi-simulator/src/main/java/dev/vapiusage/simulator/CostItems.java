package dev.vapiusage.simulator;

import dev.vapiusage.domain.CostItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives a call's {@code costs[]} from its component costs: which LLM, voice and transcriber
 * served it (its assistant's configuration, sometimes overridden for the call; a call without an
 * assistant draws its own), squad-like calls that used two of each, and the items' tokens,
 * characters and minutes. The items of each component add up exactly to that component of {@code
 * costBreakdown}. Computed from the call alone, so a generated call needs no memory for them.
 */
final class CostItems {
  private static final String[][] LLMS = {
    {"openai", "gpt-4o"},
    {"openai", "gpt-4o-mini"},
    {"openai", "gpt-4.1"},
    {"anthropic", "claude-3-5-sonnet-20241022"},
    {"anthropic", "claude-3-5-haiku-20241022"},
    {"google", "gemini-1.5-flash"},
    {"groq", "llama-3.3-70b-versatile"}
  };

  /** Provider, model (null where the provider has none to choose), voice id. */
  private static final String[][] VOICES = {
    {"11labs", "eleven_turbo_v2_5", "burt"},
    {"11labs", "eleven_multilingual_v2", "paula"},
    {"playht", null, "jennifer"},
    {"cartesia", null, "248be419-c632-4f23-adf1-5324ed7dbf1d"},
    {"azure", null, "andrew"},
    {"openai", "tts-1", "alloy"},
    {"vapi", null, "Elliot"}
  };

  private static final String[][] TRANSCRIBERS = {
    {"deepgram", "nova-2"}, {"deepgram", "nova-3"}, {"assembly-ai", null}, {"gladia", "fast"}
  };
  private static final String[] ANALYSIS_LLM = {"openai", "gpt-4o-mini"};
  private static final long ASSISTANT_SALT = 0x2545F4914F6CDD1DL;
  private static final long CALL_SALT = 0x5851F42D4C957F2DL;
  private static final int OVERRIDE_PERCENT = 20;
  private static final int SQUAD_PERCENT = 10;
  private static final int OVERAGE_PERCENT = 5;

  private CostItems() {}

  /**
   * One item as the simulator writes it. {@code kind} is a {@code vapi} item's {@code subType} or
   * an {@code analysis} item's {@code analysisType}.
   */
  record Item(
      String type,
      BigDecimal cost,
      String provider,
      String model,
      String voiceId,
      BigDecimal minutes,
      Long characters,
      Long promptTokens,
      Long completionTokens,
      Long cachedPromptTokens,
      String kind) {

    /** What a correct client makes of this item. */
    CostItem toDomain() {
      return new CostItem(
          type,
          cost,
          provider,
          model,
          voiceId,
          minutes,
          characters,
          promptTokens,
          completionTokens);
    }
  }

  /** An assistant's configuration: indices into the LLM, voice and transcriber choices. */
  record Profile(int llm, int voice, int transcriber) {
    String llmProvider() {
      return LLMS[llm][0];
    }

    String llmModel() {
      return LLMS[llm][1];
    }

    String voiceProvider() {
      return VOICES[voice][0];
    }

    String voiceModel() {
      return VOICES[voice][1];
    }

    String voiceId() {
      return VOICES[voice][2];
    }

    String transcriberProvider() {
      return TRANSCRIBERS[transcriber][0];
    }

    String transcriberModel() {
      return TRANSCRIBERS[transcriber][1];
    }
  }

  /** The configuration of the assistant with this id, the same every time it is asked. */
  static Profile profile(String assistantId) {
    return profileFrom(CallGenerator.mix(ASSISTANT_SALT, assistantId.hashCode()));
  }

  /** The call's items; none while it has no costs (not costed yet). */
  static List<Item> of(SimulatedCall call) {
    SimulatedCall.Costs c = call.costs();
    if (c == null) {
      return List.of();
    }
    long h = CallGenerator.mix(CALL_SALT, call.id().hashCode());
    Profile first =
        call.assistantId() == null
            ? profileFrom(CallGenerator.mix(h, 1))
            : profile(call.assistantId());
    if (Math.floorMod(h >>> 8, 100) < OVERRIDE_PERCENT) {
      first = new Profile(Math.floorMod(h >>> 28, LLMS.length), first.voice(), first.transcriber());
    }
    Profile second = null;
    int share = 100;
    if (Math.floorMod(h >>> 20, 100) < SQUAD_PERCENT) {
      second = differentFrom(first, profileFrom(CallGenerator.mix(h, 2)));
      share = 30 + Math.floorMod(h >>> 40, 41);
    }
    long minutes = minutesTenThousandths(call);
    long prompt = c.llm().movePointRight(6).longValue() * 2 / 5;
    long completion = prompt / 28;
    long cached = prompt / 3;
    long characters = minutes * 850 / 10_000;

    List<Item> items = new ArrayList<>(second == null ? 7 : 10);
    items.add(
        new Item(
            "transport",
            c.transport(),
            transportProvider(call.type()),
            null,
            null,
            tenThousandths(minutes),
            null,
            null,
            null,
            null,
            null));
    for (int part = 0; part < (second == null ? 1 : 2); part++) {
      Profile p = part == 0 ? first : second;
      items.add(
          new Item(
              "transcriber",
              part(c.stt(), share, part),
              p.transcriberProvider(),
              p.transcriberModel(),
              null,
              tenThousandths(part(minutes, share, part)),
              null,
              null,
              null,
              null,
              null));
    }
    for (int part = 0; part < (second == null ? 1 : 2); part++) {
      Profile p = part == 0 ? first : second;
      items.add(
          new Item(
              "model",
              part(c.llm(), share, part),
              p.llmProvider(),
              p.llmModel(),
              null,
              null,
              null,
              part(prompt, share, part),
              part(completion, share, part),
              part(cached, share, part),
              null));
    }
    for (int part = 0; part < (second == null ? 1 : 2); part++) {
      Profile p = part == 0 ? first : second;
      items.add(
          new Item(
              "voice",
              part(c.tts(), share, part),
              p.voiceProvider(),
              p.voiceModel(),
              p.voiceId(),
              null,
              part(characters, share, part),
              null,
              null,
              null,
              null));
    }
    items.add(
        new Item(
            "vapi",
            c.vapi(),
            null,
            null,
            null,
            tenThousandths(minutes),
            null,
            null,
            null,
            null,
            Math.floorMod(h >>> 50, 100) < OVERAGE_PERCENT ? "overage" : "normal"));
    if (c.summary().signum() != 0) {
      items.add(
          analysis(
              "summary",
              c.summary(),
              1_800 + Math.floorMod(h >>> 3, 600),
              60 + Math.floorMod(h >>> 13, 60)));
    }
    if (c.successEvaluation().signum() != 0) {
      items.add(
          analysis(
              "successEvaluation",
              c.successEvaluation(),
              2_000 + Math.floorMod(h >>> 17, 600),
              1 + Math.floorMod(h >>> 33, 8)));
    }
    return items;
  }

  /** The call's items as a correct client reads them. */
  static List<CostItem> domainItems(SimulatedCall call) {
    List<Item> items = of(call);
    List<CostItem> domain = new ArrayList<>(items.size());
    for (Item item : items) {
      domain.add(item.toDomain());
    }
    return domain;
  }

  private static Item analysis(String kind, BigDecimal cost, long prompt, long completion) {
    return new Item(
        "analysis",
        cost,
        ANALYSIS_LLM[0],
        ANALYSIS_LLM[1],
        null,
        null,
        null,
        prompt,
        completion,
        null,
        kind);
  }

  private static Profile profileFrom(long bits) {
    return new Profile(
        Math.floorMod(bits, LLMS.length),
        Math.floorMod(bits >>> 21, VOICES.length),
        Math.floorMod(bits >>> 42, TRANSCRIBERS.length));
  }

  /** A squad's second assistant: another LLM and another voice than the first. */
  private static Profile differentFrom(Profile first, Profile drawn) {
    int llm = drawn.llm() == first.llm() ? (drawn.llm() + 1) % LLMS.length : drawn.llm();
    int voice =
        drawn.voice() == first.voice() ? (drawn.voice() + 1) % VOICES.length : drawn.voice();
    return new Profile(llm, voice, drawn.transcriber());
  }

  /**
   * Part {@code part} (0 or 1) of an amount split {@code share}% to the first: the first rounded
   * down at the amount's own scale, the second the exact rest, so the two add up to the amount.
   */
  private static BigDecimal part(BigDecimal amount, int share, int part) {
    if (share == 100) {
      return amount;
    }
    BigDecimal first =
        amount
            .multiply(BigDecimal.valueOf(share))
            .movePointLeft(2)
            .setScale(Math.max(0, amount.scale()), RoundingMode.DOWN);
    return part == 0 ? first : amount.subtract(first);
  }

  private static long part(long amount, int share, int part) {
    long first = amount * share / 100;
    return part == 0 ? first : amount - first;
  }

  private static String transportProvider(String type) {
    if (type == null || type.endsWith("PhoneCall")) {
      return "twilio";
    }
    return "vapi.websocketCall".equals(type) ? "vapi.websocket" : "daily";
  }

  private static BigDecimal tenThousandths(long value) {
    return BigDecimal.valueOf(value, 4);
  }

  /** {@code endedAt − startedAt} in ten-thousandths of a minute, rounded half-up. */
  static long minutesTenThousandths(SimulatedCall call) {
    if (call.startedAt() == null || call.endedAt() == null) {
      return 0;
    }
    long millis = call.endedAt().toEpochMilli() - call.startedAt().toEpochMilli();
    return Math.max(0, (millis + 3) / 6);
  }
}
