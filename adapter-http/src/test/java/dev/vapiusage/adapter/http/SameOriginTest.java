package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SameOriginTest {

  @ParameterizedTest(name = "Origin {0} at {1}://{2}")
  @CsvSource({
    "http://127.0.0.1:7070, http, 127.0.0.1:7070",
    "http://localhost:7070, http, localhost:7070",
    "http://localhost:7070, http, 127.0.0.1:7070",
    "http://127.0.0.1:7070, http, localhost:7070",
    "http://[::1]:7070, http, localhost:7070",
    "HTTP://LOCALHOST:7070, http, localhost:7070",
    "http://usage.example.com, http, usage.example.com:80",
    "https://usage.example.com, https, usage.example.com",
    "https://usage.example.com:443, https, usage.example.com"
  })
  void anOriginNamingTheServerAsTheRequestReachedIt_isSameOrigin(
      String origin, String scheme, String host) {
    assertThat(SameOrigin.isSameOrigin(origin, null, null, scheme, host)).isTrue();
  }

  @ParameterizedTest(name = "Origin {0} at {1}://{2}")
  @CsvSource({
    "http://127.0.0.1:7071, http, 127.0.0.1:7070",
    "https://127.0.0.1:7070, http, 127.0.0.1:7070",
    "http://evil.example:7070, http, 127.0.0.1:7070",
    "http://localhost.evil.example:7070, http, localhost:7070",
    "http://usage.example.com, http, other.example.com",
    "null, http, 127.0.0.1:7070",
    "'', http, 127.0.0.1:7070",
    "not a url, http, 127.0.0.1:7070",
    "http://127.0.0.1:7070, http, ''"
  })
  void anyOtherOrigin_isForeign(String origin, String scheme, String host) {
    assertThat(SameOrigin.isSameOrigin(origin, null, null, scheme, host)).isFalse();
  }

  @Test
  void theReferer_countsOnlyWithoutAnOrigin() {
    assertThat(
            SameOrigin.isSameOrigin(
                null, "http://127.0.0.1:7070/dashboard", null, "http", "127.0.0.1:7070"))
        .isTrue();
    assertThat(
            SameOrigin.isSameOrigin(
                "https://evil.example",
                "http://127.0.0.1:7070/dashboard",
                null,
                "http",
                "127.0.0.1:7070"))
        .isFalse();
    assertThat(
            SameOrigin.isSameOrigin(
                null,
                "https://evil.example/?next=http://127.0.0.1:7070",
                null,
                "http",
                "127.0.0.1:7070"))
        .isFalse();
  }

  @Test
  void neitherOriginNorReferer_countsAsForeign() {
    assertThat(SameOrigin.isSameOrigin(null, null, null, "http", "127.0.0.1:7070")).isFalse();
    assertThat(SameOrigin.isSameOrigin(null, null, "same-origin", "http", "127.0.0.1:7070"))
        .isFalse();
  }

  @Test
  void aBrowserSayingCrossSiteOrSameSite_isForeignWhateverTheOrigin() {
    assertThat(
            SameOrigin.isSameOrigin(
                "http://127.0.0.1:7070", null, "cross-site", "http", "127.0.0.1:7070"))
        .isFalse();
    assertThat(
            SameOrigin.isSameOrigin(
                "http://127.0.0.1:7070", null, "same-site", "http", "127.0.0.1:7070"))
        .isFalse();
    assertThat(
            SameOrigin.isSameOrigin(
                "http://127.0.0.1:7070", null, "same-origin", "http", "127.0.0.1:7070"))
        .isTrue();
  }
}
