package dev.vapiusage.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a call the way Vapi's API does: fields that do not apply are left out, money as plain JSON
 * numbers, and (optionally) the heavy fields a real response carries ({@code messages}, {@code
 * artifact}, {@code analysis}, {@code monitor}) so that clients have something to skip.
 *
 * <p>Names and repeating values are pre-encoded {@link SerializedString}s and numbers are formatted
 * into a scratch buffer: the simulator shares the machine with the client it serves, so its cost
 * per call directly lowers the throughput a benchmark can show. One instance per response.
 */
final class CallJson {
  private static final String[] LINES = {
    "Hi, thanks for calling, how can I help you today?",
    "I'd like to move my appointment to Friday afternoon if that's possible.",
    "Let me check the calendar for you, one moment please.",
    "Friday at three works. Shall I book that for you?",
    "Yes please, and can you send me a text confirmation?",
    "Done. You'll get a confirmation shortly. Anything else?",
    "No, that's all, thank you very much.",
    "You're welcome, have a great day!"
  };
  private static final int MIN_LINES = 3;
  private static final int MAX_LINES = 6;
  private static final SerializedString[] LINE_VALUES = new SerializedString[LINES.length];

  /** Transcripts by line count and by which line each turn picks: precomputed, not rebuilt. */
  private static final SerializedString[][] TRANSCRIPTS = new SerializedString[MAX_LINES + 1][];

  private static final String[] SECONDS_FROM_START = new String[MAX_LINES];
  private static final int VALUE_CACHE_MAX = 4096;
  private static final Map<String, SerializedString> VALUES = new ConcurrentHashMap<>();

  static {
    for (int i = 0; i < LINES.length; i++) {
      LINE_VALUES[i] = new SerializedString(LINES[i]);
    }
    for (int lines = MIN_LINES; lines <= MAX_LINES; lines++) {
      TRANSCRIPTS[lines] = new SerializedString[1 << lines];
      for (int picks = 0; picks < 1 << lines; picks++) {
        StringBuilder transcript = new StringBuilder();
        for (int i = 0; i < lines; i++) {
          transcript.append(i % 2 == 0 ? "AI: " : "User: ").append(line(i, picks)).append('\n');
        }
        TRANSCRIPTS[lines][picks] = new SerializedString(transcript.toString());
      }
    }
    for (int i = 0; i < MAX_LINES; i++) {
      SECONDS_FROM_START[i] = (i * 4) + ".52";
    }
  }

  private static final SerializedString ID = name("id");
  private static final SerializedString ORG_ID = name("orgId");
  private static final SerializedString TYPE = name("type");
  private static final SerializedString STATUS = name("status");
  private static final SerializedString ENDED_REASON = name("endedReason");
  private static final SerializedString CREATED_AT = name("createdAt");
  private static final SerializedString UPDATED_AT = name("updatedAt");
  private static final SerializedString STARTED_AT = name("startedAt");
  private static final SerializedString ENDED_AT = name("endedAt");
  private static final SerializedString ASSISTANT_ID = name("assistantId");
  private static final SerializedString PHONE_NUMBER_ID = name("phoneNumberId");
  private static final SerializedString PHONE_CALL_TRANSPORT = name("phoneCallTransport");
  private static final SerializedString PHONE_CALL_PROVIDER = name("phoneCallProvider");
  private static final SerializedString CUSTOMER = name("customer");
  private static final SerializedString NUMBER = name("number");
  private static final SerializedString TRANSPORT = name("transport");
  private static final SerializedString PROVIDER = name("provider");
  private static final SerializedString CALL_URL = name("callUrl");
  private static final SerializedString COST = name("cost");
  private static final SerializedString COST_BREAKDOWN = name("costBreakdown");
  private static final SerializedString STT = name("stt");
  private static final SerializedString LLM = name("llm");
  private static final SerializedString TTS = name("tts");
  private static final SerializedString VAPI = name("vapi");
  private static final SerializedString TOTAL = name("total");
  private static final SerializedString LLM_PROMPT_TOKENS = name("llmPromptTokens");
  private static final SerializedString LLM_COMPLETION_TOKENS = name("llmCompletionTokens");
  private static final SerializedString LLM_CACHED_PROMPT_TOKENS = name("llmCachedPromptTokens");
  private static final SerializedString TTS_CHARACTERS = name("ttsCharacters");
  private static final SerializedString ANALYSIS_COST_BREAKDOWN = name("analysisCostBreakdown");
  private static final SerializedString SUMMARY = name("summary");
  private static final SerializedString SUMMARY_PROMPT_TOKENS = name("summaryPromptTokens");
  private static final SerializedString SUMMARY_COMPLETION_TOKENS = name("summaryCompletionTokens");
  private static final SerializedString SUCCESS_EVALUATION = name("successEvaluation");
  private static final SerializedString SUCCESS_EVALUATION_PROMPT_TOKENS =
      name("successEvaluationPromptTokens");
  private static final SerializedString SUCCESS_EVALUATION_COMPLETION_TOKENS =
      name("successEvaluationCompletionTokens");
  private static final SerializedString COSTS = name("costs");
  private static final SerializedString MINUTES = name("minutes");
  private static final SerializedString TRANSCRIBER = name("transcriber");
  private static final SerializedString MODEL = name("model");
  private static final SerializedString PROMPT_TOKENS = name("promptTokens");
  private static final SerializedString COMPLETION_TOKENS = name("completionTokens");
  private static final SerializedString CACHED_PROMPT_TOKENS = name("cachedPromptTokens");
  private static final SerializedString VOICE = name("voice");
  private static final SerializedString VOICE_ID = name("voiceId");
  private static final SerializedString CHARACTERS = name("characters");
  private static final SerializedString SUB_TYPE = name("subType");
  private static final SerializedString ANALYSIS_TYPE = name("analysisType");
  private static final SerializedString MESSAGES = name("messages");
  private static final SerializedString ROLE = name("role");
  private static final SerializedString MESSAGE = name("message");
  private static final SerializedString TIME = name("time");
  private static final SerializedString SECONDS = name("secondsFromStart");
  private static final SerializedString ARTIFACT = name("artifact");
  private static final SerializedString TRANSCRIPT = name("transcript");
  private static final SerializedString RECORDING_URL = name("recordingUrl");
  private static final SerializedString STEREO_RECORDING_URL = name("stereoRecordingUrl");
  private static final SerializedString ANALYSIS = name("analysis");
  private static final SerializedString MONITOR = name("monitor");
  private static final SerializedString LISTEN_URL = name("listenUrl");
  private static final SerializedString CONTROL_URL = name("controlUrl");

  private final boolean heavy;
  private final char[] scratch = new char[64];

  CallJson(boolean heavy) {
    this.heavy = heavy;
  }

  void write(JsonGenerator g, SimulatedCall call) throws IOException {
    g.writeStartObject();
    g.writeFieldName(ID);
    g.writeString(call.id());
    field(g, ORG_ID, call.orgId());
    field(g, TYPE, call.type());
    field(g, STATUS, call.status());
    field(g, ENDED_REASON, call.endedReason());
    instant(g, CREATED_AT, call.createdAt());
    instant(g, UPDATED_AT, call.updatedAt());
    instant(g, STARTED_AT, call.startedAt());
    instant(g, ENDED_AT, call.endedAt());
    field(g, ASSISTANT_ID, call.assistantId());
    field(g, PHONE_NUMBER_ID, call.phoneNumberId());
    boolean phone = call.type() != null && call.type().endsWith("PhoneCall");
    SplittableRandom r = new SplittableRandom(call.id().hashCode() * 0x9E3779B97F4A7C15L);
    if (phone) {
      field(g, PHONE_CALL_TRANSPORT, "pstn");
      field(g, PHONE_CALL_PROVIDER, "twilio");
      g.writeFieldName(CUSTOMER);
      g.writeStartObject();
      g.writeFieldName(NUMBER);
      g.writeString("+1415555" + (1000 + r.nextInt(9000)));
      g.writeEndObject();
    } else if ("webCall".equals(call.type())) {
      g.writeFieldName(TRANSPORT);
      g.writeStartObject();
      field(g, PROVIDER, "daily");
      g.writeFieldName(CALL_URL);
      g.writeString("https://vapi.daily.co/" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36));
      g.writeEndObject();
    }
    if (call.cost() != null) {
      decimal(g, COST, call.cost());
    }
    if (call.costs() != null) {
      costs(g, call);
    }
    if (heavy) {
      heavy(g, call, r);
    }
    g.writeEndObject();
  }

  private void costs(JsonGenerator g, SimulatedCall call) throws IOException {
    SimulatedCall.Costs c = call.costs();
    List<CostItems.Item> items = CostItems.of(call);
    long llmPrompt = 0;
    long llmCompletion = 0;
    long llmCached = 0;
    long characters = 0;
    CostItems.Item summary = null;
    CostItems.Item evaluation = null;
    for (CostItems.Item item : items) {
      if (item.type().equals("model")) {
        llmPrompt += item.promptTokens();
        llmCompletion += item.completionTokens();
        llmCached += item.cachedPromptTokens();
      } else if (item.type().equals("voice")) {
        characters += item.characters();
      } else if (item.type().equals("analysis")) {
        if (item.kind().equals("summary")) {
          summary = item;
        } else {
          evaluation = item;
        }
      }
    }
    g.writeFieldName(COST_BREAKDOWN);
    g.writeStartObject();
    decimal(g, TRANSPORT, c.transport());
    decimal(g, STT, c.stt());
    decimal(g, LLM, c.llm());
    decimal(g, TTS, c.tts());
    decimal(g, VAPI, c.vapi());
    decimal(g, TOTAL, c.total());
    number(g, LLM_PROMPT_TOKENS, llmPrompt);
    number(g, LLM_COMPLETION_TOKENS, llmCompletion);
    number(g, LLM_CACHED_PROMPT_TOKENS, llmCached);
    number(g, TTS_CHARACTERS, characters);
    if (summary != null || evaluation != null) {
      g.writeFieldName(ANALYSIS_COST_BREAKDOWN);
      g.writeStartObject();
      if (summary != null) {
        decimal(g, SUMMARY, summary.cost());
        number(g, SUMMARY_PROMPT_TOKENS, summary.promptTokens());
        number(g, SUMMARY_COMPLETION_TOKENS, summary.completionTokens());
      }
      if (evaluation != null) {
        decimal(g, SUCCESS_EVALUATION, evaluation.cost());
        number(g, SUCCESS_EVALUATION_PROMPT_TOKENS, evaluation.promptTokens());
        number(g, SUCCESS_EVALUATION_COMPLETION_TOKENS, evaluation.completionTokens());
      }
      g.writeEndObject();
    }
    g.writeEndObject();

    g.writeFieldName(COSTS);
    g.writeStartArray();
    for (CostItems.Item item : items) {
      item(g, item);
    }
    g.writeEndArray();
  }

  /** One item in the shape of its type: the provider config nested where Vapi nests it. */
  private void item(JsonGenerator g, CostItems.Item item) throws IOException {
    g.writeStartObject();
    field(g, TYPE, item.type());
    switch (item.type()) {
      case "transport":
        field(g, PROVIDER, item.provider());
        decimal(g, MINUTES, item.minutes());
        break;
      case "transcriber":
        config(g, TRANSCRIBER, item);
        decimal(g, MINUTES, item.minutes());
        break;
      case "model":
        config(g, MODEL, item);
        number(g, PROMPT_TOKENS, item.promptTokens());
        number(g, COMPLETION_TOKENS, item.completionTokens());
        number(g, CACHED_PROMPT_TOKENS, item.cachedPromptTokens());
        break;
      case "voice":
        config(g, VOICE, item);
        number(g, CHARACTERS, item.characters());
        break;
      case "vapi":
        field(g, SUB_TYPE, item.kind());
        decimal(g, MINUTES, item.minutes());
        break;
      case "analysis":
        field(g, ANALYSIS_TYPE, item.kind());
        config(g, MODEL, item);
        number(g, PROMPT_TOKENS, item.promptTokens());
        number(g, COMPLETION_TOKENS, item.completionTokens());
        break;
      default:
        throw new IllegalStateException("no JSON shape for cost item type " + item.type());
    }
    decimal(g, COST, item.cost());
    g.writeEndObject();
  }

  private static void config(JsonGenerator g, SerializableString name, CostItems.Item item)
      throws IOException {
    g.writeFieldName(name);
    g.writeStartObject();
    field(g, PROVIDER, item.provider());
    field(g, MODEL, item.model());
    field(g, VOICE_ID, item.voiceId());
    g.writeEndObject();
  }

  private void heavy(JsonGenerator g, SimulatedCall call, SplittableRandom r) throws IOException {
    if (call.startedAt() == null) {
      return;
    }
    int lines = MIN_LINES + r.nextInt(MAX_LINES - MIN_LINES + 1);
    int picks = r.nextInt(1 << lines);
    long start = call.startedAt().toEpochMilli();
    g.writeFieldName(MESSAGES);
    g.writeStartArray();
    for (int i = 0; i < lines; i++) {
      g.writeStartObject();
      field(g, ROLE, i % 2 == 0 ? "bot" : "user");
      g.writeFieldName(MESSAGE);
      g.writeString(LINE_VALUES[lineIndex(i, picks)]);
      number(g, TIME, start + i * 4_000L);
      g.writeFieldName(SECONDS);
      g.writeNumber(SECONDS_FROM_START[i]);
      g.writeEndObject();
    }
    g.writeEndArray();
    if (call.endedAt() != null) {
      g.writeFieldName(ARTIFACT);
      g.writeStartObject();
      g.writeFieldName(TRANSCRIPT);
      g.writeString(TRANSCRIPTS[lines][picks]);
      g.writeFieldName(RECORDING_URL);
      g.writeString("https://storage.vapi.ai/" + call.id() + "-recording.wav");
      g.writeFieldName(STEREO_RECORDING_URL);
      g.writeString("https://storage.vapi.ai/" + call.id() + "-stereo.wav");
      g.writeEndObject();
      g.writeFieldName(ANALYSIS);
      g.writeStartObject();
      field(g, SUMMARY, "The caller moved an appointment and asked for a text confirmation.");
      field(g, SUCCESS_EVALUATION, (picks & 1) == 0 ? "true" : "false");
      g.writeEndObject();
    } else {
      g.writeFieldName(MONITOR);
      g.writeStartObject();
      g.writeFieldName(LISTEN_URL);
      g.writeString(
          "wss://phone-call-websocket.aws-us-west-2-backend-production1.vapi.ai/"
              + call.id()
              + "/listen");
      g.writeFieldName(CONTROL_URL);
      g.writeString(
          "https://phone-call-websocket.aws-us-west-2-backend-production1.vapi.ai/"
              + call.id()
              + "/control");
      g.writeEndObject();
    }
  }

  private static int lineIndex(int turn, int picks) {
    return (turn + ((picks >>> turn) & 1)) % LINES.length;
  }

  private static String line(int turn, int picks) {
    return LINES[lineIndex(turn, picks)];
  }

  /**
   * A string field; values that repeat across calls (types, reasons, ids of assistants) are cached
   * encoded.
   */
  private static void field(JsonGenerator g, SerializableString name, String value)
      throws IOException {
    if (value == null) {
      return;
    }
    g.writeFieldName(name);
    SerializedString encoded = VALUES.get(value);
    if (encoded == null && VALUES.size() < VALUE_CACHE_MAX) {
      encoded = VALUES.computeIfAbsent(value, SerializedString::new);
    }
    if (encoded != null) {
      g.writeString(encoded);
    } else {
      g.writeString(value);
    }
  }

  private void instant(JsonGenerator g, SerializableString name, Instant value) throws IOException {
    if (value != null) {
      g.writeFieldName(name);
      IsoMillis.write(value.toEpochMilli(), scratch);
      g.writeString(scratch, 0, IsoMillis.LENGTH);
    }
  }

  private static void number(JsonGenerator g, SerializableString name, long value)
      throws IOException {
    g.writeFieldName(name);
    g.writeNumber(value);
  }

  private void decimal(JsonGenerator g, SerializableString name, BigDecimal value)
      throws IOException {
    g.writeFieldName(name);
    number(g, value, scratch);
  }

  /** As JavaScript prints numbers: plain digits, no exponent, no trailing zeros. */
  static void number(JsonGenerator g, BigDecimal value, char[] scratch) throws IOException {
    int scale = value.scale();
    if (scale >= 0 && scale <= 18 && value.unscaledValue().bitLength() < 63) {
      int length = plain(value.unscaledValue().longValue(), scale, scratch);
      g.writeNumber(scratch, 0, length);
    } else {
      g.writeNumber(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString());
    }
  }

  /** {@code unscaled × 10^-scale} as plain decimal text into {@code out}; returns its length. */
  static int plain(long unscaled, int scale, char[] out) {
    while (scale > 0 && unscaled % 10 == 0) {
      unscaled /= 10;
      scale--;
    }
    boolean negative = unscaled < 0;
    long magnitude = Math.abs(unscaled);
    char[] digits = new char[20];
    int count = 0;
    do {
      digits[count++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude > 0);
    int length = 0;
    if (negative) {
      out[length++] = '-';
    }
    if (count <= scale) {
      out[length++] = '0';
      out[length++] = '.';
      for (int i = 0; i < scale - count; i++) {
        out[length++] = '0';
      }
      for (int i = count - 1; i >= 0; i--) {
        out[length++] = digits[i];
      }
      return length;
    }
    for (int i = count - 1; i >= 0; i--) {
      out[length++] = digits[i];
      if (i == scale && scale > 0) {
        out[length++] = '.';
      }
    }
    return length;
  }

  private static SerializedString name(String name) {
    return new SerializedString(name);
  }
}
