package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostItem;
import dev.vapiusage.domain.port.MetricsSource;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

class InMemoryMetricsSourceTest extends MetricsSourceContract {
  private final ApiKey key = TestData.anyApiKey();
  private final InMemoryMetricsSource source = new InMemoryMetricsSource().accept(key);

  @Override
  protected MetricsSource source() {
    return source;
  }

  @Override
  protected ApiKey acceptedKey() {
    return key;
  }

  @Override
  protected String addCall(Instant createdAt, Instant updatedAt) {
    String id = TestData.anyCallId();
    source.put(TestData.call(id, createdAt).updatedAt(updatedAt).status("ended").build());
    return id;
  }

  @Override
  protected CallRecord addCostedCall(Instant createdAt) {
    CallRecord call =
        TestData.endedCall(createdAt, 95, "0.0712")
            .withCostItems(
                List.of(
                    new CostItem(
                        "transport",
                        new BigDecimal("0.0135"),
                        "twilio",
                        null,
                        null,
                        new BigDecimal("1.5833"),
                        null,
                        null,
                        null),
                    new CostItem(
                        "model",
                        new BigDecimal("0.0241"),
                        "anthropic",
                        "claude-3-5-haiku",
                        null,
                        null,
                        null,
                        5210L,
                        188L),
                    new CostItem(
                        "voice",
                        new BigDecimal("0.0336"),
                        "11labs",
                        "eleven_turbo_v2_5",
                        "burt",
                        null,
                        655L,
                        null,
                        null)));
    source.put(call);
    return call;
  }
}
