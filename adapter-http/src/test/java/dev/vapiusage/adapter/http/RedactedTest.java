package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactedTest {
  private static final String KEY = "0b6c1f0e-8d7a-4c2b-9e3f-5a1d2c3b4e5f";

  @Test
  void theJdksHeaderFailure_losesTheKeyButKeepsItsClassAndFrames() {
    IllegalArgumentException failure =
        new IllegalArgumentException("invalid header value: \"Bearer " + KEY + "\u200b\"");

    Throwable copy = Redacted.copyOf(new RuntimeException("wrapped", failure));

    assertThat(Redacted.describe(failure))
        .startsWith("java.lang.IllegalArgumentException: invalid header value")
        .doesNotContain(KEY);
    assertThat(copy.toString()).startsWith("java.lang.RuntimeException").doesNotContain(KEY);
    assertThat(copy.getCause().toString())
        .startsWith("java.lang.IllegalArgumentException")
        .doesNotContain(KEY);
    assertThat(copy.getCause().getStackTrace()).isEqualTo(failure.getStackTrace());
  }

  @Test
  void secretsInAnyShape_areMasked_andLineBreaksCannotForgeALine() {
    String[] messages = {
      "Authorization: Bearer " + KEY,
      "token=vu_Zk3x9QpLmN0aBcDeFgHiJkLmNoPqRsTuVwXyZ012345",
      "GET /api/vapi/usage?startDate=" + KEY + " failed",
      "unexpected '" + KEY + "'",
      "bad [" + KEY + "]",
      "key " + KEY,
      KEY,
    };
    for (String message : messages) {
      assertThat(Redacted.message(message))
          .as(message)
          .doesNotContain(KEY)
          .doesNotContain("Zk3x9QpLmN0aBcDeFg");
    }
    assertThat(Redacted.message("line one\r\n2026-01-01 ERROR forged"))
        .doesNotContain("\n")
        .doesNotContain("\r");
    assertThat(Redacted.message("Connection refused after 3 attempts"))
        .isEqualTo("Connection refused after 3 attempts");
  }
}
