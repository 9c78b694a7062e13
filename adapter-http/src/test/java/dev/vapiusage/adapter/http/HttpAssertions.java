package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on responses that every test class shares. */
final class HttpAssertions {
  private HttpAssertions() {}

  /**
   * The contract's error: this status, {@code {"error": "...", "code": code}}, JSON content type.
   */
  static void assertError(TestServer.Response response, int status, String code) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertThat(response.isContractError(code))
        .as("contract error %s in %s", code, response)
        .isTrue();
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }
}
