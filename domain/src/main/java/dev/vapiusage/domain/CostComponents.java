package dev.vapiusage.domain;

import java.math.BigDecimal;

/**
 * A call's (or a sum of calls') cost by component, in USD. {@code analysis} is the sum of every
 * cost field of Vapi's {@code analysisCostBreakdown}; token counts are not costs and are left out.
 */
public record CostComponents(
    BigDecimal transport,
    BigDecimal stt,
    BigDecimal llm,
    BigDecimal tts,
    BigDecimal vapi,
    BigDecimal analysis) {

  public static final CostComponents ZERO =
      new CostComponents(
          BigDecimal.ZERO,
          BigDecimal.ZERO,
          BigDecimal.ZERO,
          BigDecimal.ZERO,
          BigDecimal.ZERO,
          BigDecimal.ZERO);

  /** Absent components count as zero. */
  public CostComponents {
    transport = Money.normalize(transport);
    stt = Money.normalize(stt);
    llm = Money.normalize(llm);
    tts = Money.normalize(tts);
    vapi = Money.normalize(vapi);
    analysis = Money.normalize(analysis);
  }

  public CostComponents plus(CostComponents other) {
    return new CostComponents(
        transport.add(other.transport),
        stt.add(other.stt),
        llm.add(other.llm),
        tts.add(other.tts),
        vapi.add(other.vapi),
        analysis.add(other.analysis));
  }
}
