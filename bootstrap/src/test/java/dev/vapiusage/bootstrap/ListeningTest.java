package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListeningTest {
  @Test
  void aPortInUse_isOneLineNamingPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> Listening.check("127.0.0.1", port))
          .isInstanceOf(ConfigException.class)
          .hasMessage("PORT " + port + " is already in use on 127.0.0.1");
    }
  }

  @Test
  void aFreePort_andAnUnknownHost() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Listening.check("127.0.0.1", port);
    Listening.check("127.0.0.1", 0);
    assertThatThrownBy(() -> Listening.check("no-such-host.invalid", 0))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("HOST no-such-host.invalid");
  }

  @Test
  void url_isOneABrowserCanOpen() {
    assertThat(Listening.url("127.0.0.1", 7070, Set.of("127.0.0.1"), "/dashboard"))
        .isEqualTo("http://127.0.0.1:7070/dashboard");
    assertThat(Listening.url("0.0.0.0", 7070, Set.of(), "/")).isEqualTo("http://localhost:7070/");
    assertThat(Listening.url("::", 8080, Set.of(), "/login"))
        .isEqualTo("http://localhost:8080/login");
    assertThat(
            Listening.url(
                "0.0.0.0", 7070, new LinkedHashSet<>(List.of("usage.example.com", "other")), "/"))
        .isEqualTo("http://usage.example.com:7070/");
    assertThat(Listening.url("::1", 7070, Set.of(), "/")).isEqualTo("http://[::1]:7070/");
  }
}
