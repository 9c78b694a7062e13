package dev.vapiusage.adapter.vapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.CostComponents;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.simulator.SimulatedCall;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Small factories and checks shared by the client's tests against the simulator. */
final class TestSupport {
  static final String KEY_TEXT = "test-private-key-0123456789";
  static final ApiKey KEY = ApiKey.of(KEY_TEXT);

  private TestSupport() {}

  /** Fast retries, so that failing tests fail in milliseconds rather than minutes. */
  static VapiClientConfig config(VapiSimulator simulator) {
    return VapiClientConfig.forBaseUri(simulator.baseUri())
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
        .withRetry(8, Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(20));
  }

  static VapiClient client(VapiSimulator simulator) {
    return new VapiClient(config(simulator));
  }

  /** What the simulator holds in a window, as a correct client delivers it. */
  static Set<CallRecord> truth(SimulatorData data, CallWindow window) {
    return data.calls(window).stream().map(SimulatedCall::toCallRecord).collect(Collectors.toSet());
  }

  /** Every call of the window delivered once, field for field, and the totals add up. */
  static void assertExactlyOnce(Listing listing, SimulatorData data, CallWindow window) {
    Set<CallRecord> expected = truth(data, window);
    assertThat(listing.duplicateIds()).as("calls delivered more than once").isEmpty();
    assertThat(listing.calls()).hasSameSizeAs(expected);
    assertThat(Set.copyOf(listing.calls())).isEqualTo(expected);
    assertThat(totalCost(listing.calls())).isEqualByComparingTo(totalCost(expected));
    assertThat(totalComponents(listing.calls())).isEqualTo(totalComponents(expected));
  }

  static BigDecimal totalCost(Iterable<CallRecord> calls) {
    BigDecimal total = BigDecimal.ZERO;
    for (CallRecord call : calls) {
      total = total.add(call.costOrZero());
    }
    return total;
  }

  static CostComponents totalComponents(Iterable<CallRecord> calls) {
    CostComponents total = CostComponents.ZERO;
    for (CallRecord call : calls) {
      total = total.plus(call.costs());
    }
    return total;
  }

  /** Collects what a listing delivers, batch by batch. */
  static final class Listing implements Consumer<List<CallRecord>> {
    private final List<CallRecord> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void accept(List<CallRecord> batch) {
      batchSizes.add(batch.size());
      calls.addAll(batch);
    }

    List<CallRecord> calls() {
      return List.copyOf(calls);
    }

    List<Integer> batchSizes() {
      return List.copyOf(batchSizes);
    }

    List<String> duplicateIds() {
      Map<String, Integer> counts = new HashMap<>();
      for (CallRecord call : calls()) {
        counts.merge(call.id(), 1, Integer::sum);
      }
      return counts.entrySet().stream()
          .filter(e -> e.getValue() > 1)
          .map(Map.Entry::getKey)
          .collect(Collectors.toList());
    }
  }
}
