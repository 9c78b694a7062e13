package dev.vapiusage.adapter.vapi;

import static dev.vapiusage.adapter.vapi.TestSupport.KEY;
import static dev.vapiusage.adapter.vapi.TestSupport.KEY_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.port.AssistantDirectory;
import dev.vapiusage.domain.testing.AssistantDirectoryContract;
import dev.vapiusage.simulator.RecordedRequest;
import dev.vapiusage.simulator.SimulatedAssistant;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against the simulator keeps the promises of every {@link AssistantDirectory}. */
class VapiClientAssistantDirectoryTest extends AssistantDirectoryContract {
  private static final Instant BASE = Instant.parse("2025-06-01T00:00:00Z");

  private final SimulatorData data = SimulatorData.empty();
  private VapiSimulator simulator;
  private VapiClient client;

  @BeforeEach
  void start() {
    // The contract starts from an account without assistants.
    data.assistantIds().forEach(data::deleteAssistant);
    simulator = VapiSimulator.start(data, KEY_TEXT);
    client = TestSupport.client(simulator);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Override
  protected AssistantDirectory directory() {
    return client;
  }

  @Override
  protected ApiKey acceptedKey() {
    return KEY;
  }

  @Override
  protected Assistant addAssistant(String name, Instant createdAt) {
    SimulatedAssistant added = data.addAssistant(name, createdAt);
    return new Assistant(added.id(), added.name());
  }

  @Override
  protected void deleteAssistant(String id) {
    data.deleteAssistant(id);
  }

  @Test
  void givenMoreThanAPageNewestFirst_assistants_takesTwoRequestsOfLimit1000() {
    addMany(MORE_THAN_A_PAGE, 7);
    simulator.clearRequests();

    assertThat(client.assistants(KEY)).hasSize(MORE_THAN_A_PAGE);

    List<RecordedRequest> requests = simulator.requests();
    assertThat(requests).extracting(RecordedRequest::path).containsOnly("/assistant");
    assertThat(requests).extracting(r -> r.query().get("limit")).containsOnly("1000");
    // The 234 older ones, and the 4 of the first page's oldest millisecond again.
    assertThat(requests).extracting(RecordedRequest::results).containsExactly(1_000, 238);
    assertThat(requests.get(1).query()).containsKey("createdAtLt");
  }

  @ParameterizedTest
  @EnumSource(VapiSimulator.Order.class)
  void givenAnyOrderOfTheList_assistants_listsEveryOneExactlyOnce(VapiSimulator.Order order) {
    List<String> added = addMany(2_600, 3);
    simulator.order(order);

    List<Assistant> listed = client.assistants(KEY);

    assertThat(listed).extracting(Assistant::id).doesNotHaveDuplicates();
    assertThat(listed).extracting(Assistant::id).containsExactlyInAnyOrderElementsOf(added);
  }

  @Test
  void givenMoreThanAPageInOneMillisecond_assistants_failsRatherThanListPartOfThem() {
    for (int i = 0; i < 1_001; i++) {
      data.addAssistant("Burst " + i, BASE);
    }

    assertThatThrownBy(() -> client.assistants(KEY))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE));
  }

  @Test
  void givenPassingServerErrors_assistants_retriesAndListsThemAll() {
    addMany(20, 1);
    simulator.failNext(2, 503);

    assertThat(client.assistants(KEY)).hasSize(20);
  }

  @Test
  void givenVapiDown_assistants_failsAsUnavailable() {
    simulator.failNext(1_000, 500);
    VapiClient impatient =
        new VapiClient(
            TestSupport.config(simulator)
                .withRetry(2, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(2)));

    assertThatThrownBy(() -> impatient.assistants(KEY))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE));
  }

  private List<String> addMany(int count, int perMillisecond) {
    return IntStream.range(0, count)
        .mapToObj(i -> data.addAssistant("Assistant " + i, BASE.plusMillis(i / perMillisecond)))
        .map(SimulatedAssistant::id)
        .collect(Collectors.toList());
  }
}
