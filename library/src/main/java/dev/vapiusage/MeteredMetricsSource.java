package dev.vapiusage;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.sync.CallWindow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.function.Consumer;

/** Times every call to Vapi by operation and outcome, for {@code GET /metrics}. */
final class MeteredMetricsSource implements MetricsSource {
  private final MetricsSource vapi;
  private final MeterRegistry registry;

  MeteredMetricsSource(MetricsSource vapi, MeterRegistry registry) {
    this.vapi = vapi;
    this.registry = registry;
  }

  @Override
  public void verify(ApiKey apiKey) {
    timed("verify", () -> vapi.verify(apiKey));
  }

  @Override
  public void stream(ApiKey apiKey, CallWindow window, Consumer<List<CallRecord>> batches) {
    timed("list_calls", () -> vapi.stream(apiKey, window, batches));
  }

  private void timed(String operation, Runnable action) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "ok";
    try {
      action.run();
    } catch (UsageException e) {
      outcome = e.code().code();
      throw e;
    } catch (RuntimeException e) {
      outcome = "error";
      throw e;
    } finally {
      sample.stop(
          Timer.builder("vapi_client_requests")
              .description("Requests to the Vapi API by operation and outcome")
              .tag("operation", operation)
              .tag("outcome", outcome)
              .register(registry));
    }
  }
}
