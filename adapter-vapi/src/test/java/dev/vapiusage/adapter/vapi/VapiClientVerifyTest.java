package dev.vapiusage.adapter.vapi;

import static dev.vapiusage.adapter.vapi.TestSupport.KEY;
import static dev.vapiusage.adapter.vapi.TestSupport.KEY_TEXT;
import static dev.vapiusage.adapter.vapi.TestSupport.client;
import static dev.vapiusage.adapter.vapi.TestSupport.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.simulator.Faults;
import dev.vapiusage.simulator.RecordedRequest;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VapiClientVerifyTest {

  @Test
  void givenAcceptedKey_verify_returnsAfterOneCheapRequest() {
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)) {
      client(simulator).verify(KEY);

      assertThat(simulator.requests())
          .singleElement()
          .satisfies(
              request -> {
                assertThat(request.path()).isEqualTo("/assistant");
                assertThat(request.query()).isEqualTo(Map.of("limit", "1"));
                assertThat(request.status()).isEqualTo(200);
              });
    }
  }

  @Test
  void givenRejectedKey_verify_failsWithInvalidKeyAfterOneRequest() {
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)) {
      ApiKey wrong = ApiKey.of("sk-wrong-0000");

      assertThatThrownBy(() -> client(simulator).verify(wrong))
          .isInstanceOfSatisfying(
              UsageException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY);
                assertThat(e.getMessage()).doesNotContain("sk-wrong-0000");
              });
      assertThat(simulator.requests()).extracting(RecordedRequest::status).containsExactly(401);
    }
  }

  @Test
  void givenForbiddenKey_verify_failsWithInvalidKey() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT).failNext(1, 403)) {
      assertThatThrownBy(() -> client(simulator).verify(KEY))
          .isInstanceOfSatisfying(
              UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY));
    }
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 404, 408, 429, 500, 503})
  void givenAnyOtherStatus_verify_failsWithVapiUnavailableWithoutRetrying(int status) {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT).failNext(1, status)) {
      assertThatThrownBy(() -> client(simulator).verify(KEY))
          .isInstanceOfSatisfying(
              UsageException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE));
      assertThat(simulator.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void givenA200ThatIsNotAList_verify_failsWithVapiUnavailable() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)
            .faults(Faults.none().withMalformedBodies(1.0))) {
      assertThatThrownBy(() -> client(simulator).verify(KEY))
          .isInstanceOfSatisfying(
              UsageException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE));
    }
  }

  @Test
  void givenUnreachableVapi_verify_failsWithVapiUnavailable() {
    URI gone;
    VapiClientConfig settings;
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)) {
      gone = simulator.baseUri();
      settings = config(simulator);
    }

    assertThatThrownBy(() -> new VapiClient(settings.withBaseUri(gone)).verify(KEY))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE));
  }

  @Test
  void givenVapiTooSlow_verify_failsWithinTheRequestTimeout() {
    try (VapiSimulator simulator =
        VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)
            .faults(Faults.none().withDelays(1.0, Duration.ofSeconds(20)))) {
      VapiClient client =
          new VapiClient(
              config(simulator).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));
      long start = System.nanoTime();

      assertThatThrownBy(() -> client.verify(KEY))
          .isInstanceOfSatisfying(
              UsageException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.VAPI_UNAVAILABLE));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void givenAConfiguredClient_toString_showsWhereButNoSecret() {
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), KEY_TEXT)) {
      assertThat(client(simulator).toString())
          .contains(simulator.baseUri().toString())
          .doesNotContain(KEY_TEXT);
      assertThat(KEY.toString()).doesNotContain(KEY_TEXT);
    }
  }
}
