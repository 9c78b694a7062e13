package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.port.MetricsSource;
import java.time.Instant;

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
}
