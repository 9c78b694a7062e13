package dev.vapiusage.adapter.vapi;

import static dev.vapiusage.adapter.vapi.TestSupport.KEY;
import static dev.vapiusage.adapter.vapi.TestSupport.KEY_TEXT;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.domain.testing.MetricsSourceContract;
import dev.vapiusage.simulator.SimulatedCall;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The client against the simulator keeps the promises of every {@link MetricsSource}. */
class VapiClientMetricsSourceTest extends MetricsSourceContract {
  private final SimulatorData data = SimulatorData.empty();
  private VapiSimulator simulator;
  private VapiClient client;

  @BeforeEach
  void start() {
    simulator = VapiSimulator.start(data, KEY_TEXT);
    // Small pages, so that the contract's windows take several requests.
    client = new VapiClient(config(TestSupport.config(simulator).withPageLimit(7)));
  }

  VapiClientConfig config(VapiClientConfig small) {
    return small;
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Override
  protected MetricsSource source() {
    return client;
  }

  @Override
  protected ApiKey acceptedKey() {
    return KEY;
  }

  @Override
  protected String addCall(Instant createdAt, Instant updatedAt) {
    SimulatedCall call =
        SimulatedCall.ended(
                data.newCallId(),
                data.orgId(),
                createdAt,
                Duration.ofSeconds(30),
                data.assistantIds().get(0))
            .withUpdatedAt(updatedAt);
    return data.add(call).id();
  }

  @Override
  protected CallRecord addCostedCall(Instant createdAt) {
    return data.addEndedCall(createdAt, Duration.ofSeconds(95)).toCallRecord();
  }
}
