package dev.vapiusage.simulator;

import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.CostItem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One call as the simulator holds it, the truth that tests compare a listing against. Optional
 * fields are null when Vapi would leave them out; {@code cost} null means the JSON has no {@code
 * cost} at all, {@code costs} null means no {@code costBreakdown} and no {@code costs[]}. The
 * {@code costs[]} items follow from the call ({@link #costItems()}).
 */
public record SimulatedCall(
    String id,
    String orgId,
    String type,
    String status,
    String endedReason,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant endedAt,
    String assistantId,
    String phoneNumberId,
    BigDecimal cost,
    Costs costs) {

  public SimulatedCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** An ended inbound phone call, costed at {@link Costs#standard(Duration)} rates. */
  public static SimulatedCall ended(
      String id, String orgId, Instant createdAt, Duration duration, String assistantId) {
    Instant startedAt = createdAt.plusSeconds(2);
    Instant endedAt = startedAt.plus(duration);
    Costs costs = Costs.standard(duration);
    return new SimulatedCall(
        id,
        orgId,
        "inboundPhoneCall",
        "ended",
        "customer-ended-call",
        createdAt,
        endedAt.plusSeconds(5),
        startedAt,
        endedAt,
        assistantId,
        null,
        costs.total(),
        costs);
  }

  /**
   * A call still running: started, not ended, {@code cost: 0} and no breakdown, as Vapi shows it.
   */
  public static SimulatedCall inProgress(
      String id, String orgId, Instant createdAt, String assistantId) {
    Instant startedAt = createdAt.plusSeconds(2);
    return new SimulatedCall(
        id,
        orgId,
        "outboundPhoneCall",
        "in-progress",
        null,
        createdAt,
        startedAt,
        startedAt,
        null,
        assistantId,
        null,
        BigDecimal.ZERO,
        null);
  }

  /** This call ended at {@code endedAt}, costed at standard rates, changed at {@code updatedAt}. */
  public SimulatedCall endedAt(Instant endedAt, Instant updatedAt) {
    Instant started = startedAt == null ? createdAt : startedAt;
    Costs standard = Costs.standard(Duration.between(started, endedAt));
    return new SimulatedCall(
        id,
        orgId,
        type,
        "ended",
        endedReason == null ? "customer-ended-call" : endedReason,
        createdAt,
        updatedAt,
        started,
        endedAt,
        assistantId,
        phoneNumberId,
        standard.total(),
        standard);
  }

  /** The same call with new costs (and so a new {@code cost}), changed at {@code updatedAt}. */
  public SimulatedCall withCosts(Costs newCosts, Instant updatedAt) {
    return new SimulatedCall(
        id,
        orgId,
        type,
        status,
        endedReason,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        assistantId,
        phoneNumberId,
        newCosts == null ? null : newCosts.total(),
        newCosts);
  }

  public SimulatedCall withCreatedAt(Instant instant) {
    return new SimulatedCall(
        id,
        orgId,
        type,
        status,
        endedReason,
        instant,
        updatedAt,
        startedAt,
        endedAt,
        assistantId,
        phoneNumberId,
        cost,
        costs);
  }

  public SimulatedCall withUpdatedAt(Instant instant) {
    return new SimulatedCall(
        id,
        orgId,
        type,
        status,
        endedReason,
        createdAt,
        instant,
        startedAt,
        endedAt,
        assistantId,
        phoneNumberId,
        cost,
        costs);
  }

  public SimulatedCall withAssistantId(String assistant) {
    return new SimulatedCall(
        id,
        orgId,
        type,
        status,
        endedReason,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        assistant,
        phoneNumberId,
        cost,
        costs);
  }

  public SimulatedCall withEndedReason(String reason) {
    return new SimulatedCall(
        id,
        orgId,
        type,
        status,
        reason,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        assistantId,
        phoneNumberId,
        cost,
        costs);
  }

  /**
   * The call's {@code costs[]} items as a correct client reads them; empty while it has no costs.
   * Their costs add up to the matching components of {@code costBreakdown}.
   */
  public List<CostItem> costItems() {
    return CostItems.domainItems(this);
  }

  /** What a correct client makes of this call's JSON, its cost items included. */
  public CallRecord toCallRecord() {
    CostComponents components =
        costs == null
            ? CostComponents.ZERO
            : new CostComponents(
                costs.transport(),
                costs.stt(),
                costs.llm(),
                costs.tts(),
                costs.vapi(),
                costs.summary().add(costs.successEvaluation()));
    return new CallRecord(
        id,
        orgId,
        createdAt,
        updatedAt,
        startedAt,
        endedAt,
        type,
        status,
        endedReason,
        assistantId,
        cost,
        components,
        costItems());
  }

  /** A call's costs by component in USD, written as {@code costBreakdown} and {@code costs[]}. */
  public record Costs(
      BigDecimal transport,
      BigDecimal stt,
      BigDecimal llm,
      BigDecimal tts,
      BigDecimal vapi,
      BigDecimal summary,
      BigDecimal successEvaluation) {

    public static final Costs NONE =
        new Costs(
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO,
            BigDecimal.ZERO);

    public Costs {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(stt, "stt");
      Objects.requireNonNull(llm, "llm");
      Objects.requireNonNull(tts, "tts");
      Objects.requireNonNull(vapi, "vapi");
      Objects.requireNonNull(summary, "summary");
      Objects.requireNonNull(successEvaluation, "successEvaluation");
    }

    /**
     * Typical per-minute prices (transport $0.0085, STT $0.01, LLM $0.012, TTS $0.022, Vapi $0.05)
     * plus a $0.0004 summary, each rounded to a millionth of a dollar.
     */
    public static Costs standard(Duration duration) {
      BigDecimal minutes =
          BigDecimal.valueOf(Math.max(0, duration.toMillis()))
              .divide(BigDecimal.valueOf(60_000), 12, RoundingMode.HALF_UP);
      return new Costs(
          perMinute(minutes, "0.0085"),
          perMinute(minutes, "0.01"),
          perMinute(minutes, "0.012"),
          perMinute(minutes, "0.022"),
          perMinute(minutes, "0.05"),
          new BigDecimal("0.0004"),
          BigDecimal.ZERO);
    }

    /** The call's {@code cost}: every component, analysis included. */
    public BigDecimal total() {
      return transport.add(stt).add(llm).add(tts).add(vapi).add(summary).add(successEvaluation);
    }

    private static BigDecimal perMinute(BigDecimal minutes, String rate) {
      return minutes.multiply(new BigDecimal(rate)).setScale(6, RoundingMode.HALF_UP);
    }
  }
}
