package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.UserId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Small factories for test data, shared by every module's tests. Unique ids instead of clean-up.
 */
public final class TestData {
  private TestData() {}

  public static UserId anyUserId() {
    return UserId.of("user-" + UUID.randomUUID());
  }

  public static ApiKey anyApiKey() {
    return ApiKey.of("sk-" + UUID.randomUUID());
  }

  public static String anyCallId() {
    return UUID.randomUUID().toString();
  }

  /**
   * A call that ended: created at {@code createdAt}, talking for {@code seconds}, costing {@code
   * cost}.
   */
  public static CallRecord endedCall(String id, Instant createdAt, long seconds, String cost) {
    Instant started = createdAt.plusSeconds(2);
    Instant ended = started.plusSeconds(seconds);
    return new CallRecord(
        id,
        "org-1",
        createdAt,
        ended.plusSeconds(5),
        started,
        ended,
        "inboundPhoneCall",
        "ended",
        "customer-ended-call",
        "assistant-1",
        new BigDecimal(cost),
        new CostComponents(
            new BigDecimal(cost),
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO));
  }

  public static CallRecord endedCall(Instant createdAt, long seconds, String cost) {
    return endedCall(anyCallId(), createdAt, seconds, cost);
  }

  /** A call still ringing: no start, no end, no cost yet. */
  public static CallRecord queuedCall(String id, Instant createdAt) {
    return new CallRecord(
        id,
        "org-1",
        createdAt,
        createdAt,
        null,
        null,
        "outboundPhoneCall",
        "queued",
        null,
        null,
        null,
        null);
  }

  /** A copy of a call with every field given; the builder-free way to vary one field. */
  public static Builder call(String id, Instant createdAt) {
    return new Builder(id, createdAt);
  }

  /** Builds a {@link CallRecord} field by field; unset fields are absent. */
  public static final class Builder {
    private final String id;
    private final Instant createdAt;
    private Instant updatedAt;
    private Instant startedAt;
    private Instant endedAt;
    private String type;
    private String status;
    private String endedReason;
    private String assistantId;
    private BigDecimal cost;
    private CostComponents costs = CostComponents.ZERO;
    private List<CostItem> items = List.of();

    Builder(String id, Instant createdAt) {
      this.id = id;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }

    public Builder updatedAt(Instant value) {
      updatedAt = value;
      return this;
    }

    public Builder talked(Instant started, Instant ended) {
      startedAt = started;
      endedAt = ended;
      return this;
    }

    public Builder type(String value) {
      type = value;
      return this;
    }

    public Builder status(String value) {
      status = value;
      return this;
    }

    public Builder endedReason(String value) {
      endedReason = value;
      return this;
    }

    public Builder assistantId(String value) {
      assistantId = value;
      return this;
    }

    public Builder cost(String value) {
      cost = new BigDecimal(value);
      return this;
    }

    public Builder costs(
        String transport, String stt, String llm, String tts, String vapi, String analysis) {
      costs =
          new CostComponents(
              new BigDecimal(transport),
              new BigDecimal(stt),
              new BigDecimal(llm),
              new BigDecimal(tts),
              new BigDecimal(vapi),
              new BigDecimal(analysis));
      return this;
    }

    public Builder items(List<CostItem> value) {
      items = value;
      return this;
    }

    public CallRecord build() {
      return new CallRecord(
          id,
          "org-1",
          createdAt,
          updatedAt,
          startedAt,
          endedAt,
          type,
          status,
          endedReason,
          assistantId,
          cost,
          costs,
          items);
    }
  }

  /** An LLM cost item; tokens may be null. */
  public static CostItem modelItem(
      String provider, String model, String cost, Long promptTokens, Long completionTokens) {
    return new CostItem(
        CostItem.MODEL,
        new BigDecimal(cost),
        provider,
        model,
        null,
        null,
        null,
        promptTokens,
        completionTokens);
  }

  /** A voice cost item; model may be null (the group is then the voice id). */
  public static CostItem voiceItem(
      String provider, String model, String voiceId, String cost, Long characters) {
    return new CostItem(
        CostItem.VOICE,
        new BigDecimal(cost),
        provider,
        model,
        voiceId,
        null,
        characters,
        null,
        null);
  }

  /** A transcriber cost item. */
  public static CostItem transcriberItem(
      String provider, String model, String cost, String minutes) {
    return new CostItem(
        CostItem.TRANSCRIBER,
        new BigDecimal(cost),
        provider,
        model,
        null,
        minutes == null ? null : new BigDecimal(minutes),
        null,
        null,
        null);
  }
}
