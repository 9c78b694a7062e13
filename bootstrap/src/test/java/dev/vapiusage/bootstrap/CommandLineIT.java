package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.simulator.Faults;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged jar's commands as a user runs them, in real processes on the embedded database. */
class CommandLineIT {
  private static final String SECRET = "command-line-test-secret-0123456789";
  private static final String VAPI_KEY = "sk-cli-test-key-4242";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static VapiSimulator simulator;

  @BeforeAll
  static void startVapi() {
    Instant now = Instant.now();
    Instant from =
        LocalDate.ofInstant(now, ZoneOffset.UTC)
            .withDayOfMonth(1)
            .minusMonths(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    simulator =
        VapiSimulator.start(
            SimulatorData.generated(11, 2_000, from, now.minusSeconds(30)), VAPI_KEY);
  }

  @AfterAll
  static void stopVapi() {
    simulator.close();
  }

  private static Map<String, String> env(Path dataDir, String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("DATA_DIR", dataDir.toString());
    env.put("VAPI_BASE_URL", simulator.baseUri().toString());
    env.put("SYNC_INTERVAL", "0");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static Path newDataDir() throws Exception {
    return Files.createTempDirectory("vapi-usage-cli-");
  }

  private static HttpResponse<String> http(
      int port, String method, String path, String token, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The local addresses (as /proc/net/tcp writes them) that listen on the port H2's AUTO_SERVER
   * wrote into the embedded database's lock file: the embedded database is for this machine only.
   */
  private static List<String> embeddedDatabaseListeners(Path dataDir) throws Exception {
    java.util.Properties lock = new java.util.Properties();
    try (var in = java.nio.file.Files.newInputStream(dataDir.resolve("vapi-usage.lock.db"))) {
      lock.load(in);
    }
    String server = lock.getProperty("server");
    assertThat(server).as("lock file server entry").matches("(127\\.0\\.0\\.1|localhost):[0-9]+");
    String port =
        String.format("%04X", Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)));
    List<String> addresses = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!java.nio.file.Files.exists(file)) {
        continue;
      }
      for (String line : java.nio.file.Files.readAllLines(file)) {
        String[] fields = line.trim().split("\\s+");
        // local_address is ADDR:PORT in hex; state 0A is LISTEN.
        if (fields.length > 3 && fields[1].endsWith(":" + port) && fields[3].equals("0A")) {
          addresses.add(fields[1].substring(0, fields[1].indexOf(':')));
        }
      }
    }
    return addresses;
  }

  private static JarProcess serve(Path dataDir, int port) throws Exception {
    JarProcess server =
        JarProcess.start(
            env(dataDir, "ENCRYPTION_KEY", SECRET, "PORT", Integer.toString(port)), "serve");
    server.awaitLine(line -> line.contains("listening on"), Duration.ofSeconds(60));
    return server;
  }

  @Test
  void serveWithoutEncryptionKey_exitsWithCode2AndOneLineNamingIt() throws Exception {
    JarProcess run = JarProcess.run(env(newDataDir()), "serve");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err).hasSize(1);
    assertThat(run.err.get(0)).contains("ENCRYPTION_KEY");
  }

  @Test
  void badValues_exitWithCode2AndNameTheirVariable() throws Exception {
    Path dir = newDataDir();
    JarProcess shortKey = JarProcess.run(env(dir, "ENCRYPTION_KEY", "too-short"), "serve");
    assertThat(shortKey.exitCode()).isEqualTo(2);
    assertThat(String.join("\n", shortKey.err))
        .contains("ENCRYPTION_KEY")
        .doesNotContain("too-short");

    JarProcess badPort =
        JarProcess.run(env(dir, "ENCRYPTION_KEY", SECRET, "PORT", "99999"), "serve");
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.err).singleElement().satisfies(line -> assertThat(line).contains("PORT"));

    JarProcess badUrl =
        JarProcess.run(env(dir, "ENCRYPTION_KEY", SECRET, "VAPI_BASE_URL", "::nope"), "serve");
    assertThat(badUrl.exitCode()).isEqualTo(2);
    assertThat(badUrl.err)
        .singleElement()
        .satisfies(line -> assertThat(line).contains("VAPI_BASE_URL"));
  }

  @Test
  void aBadDurationInTheEnvironment_isOneLineNamingItsVariable() throws Exception {
    JarProcess run =
        JarProcess.run(
            env(newDataDir(), "ENCRYPTION_KEY", SECRET, "SYNC_INTERVAL", "soon"), "serve");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err)
        .singleElement()
        .isEqualTo("vapi-usage: SYNC_INTERVAL is not a duration such as 30s, 15m, 1h or 0");
  }

  @Test
  void givenBadVariables_goodOptions_winOverThem() throws Exception {
    int port = JarProcess.freePort();
    Map<String, String> bad =
        env(newDataDir(), "ENCRYPTION_KEY", SECRET, "PORT", "99999", "SYNC_INTERVAL", "soon");
    try (JarProcess server =
        JarProcess.start(bad, "serve", "--port", Integer.toString(port), "--sync-interval", "0")) {
      server.awaitLine(
          line -> line.contains("listening on http://127.0.0.1:" + port + "/"),
          Duration.ofSeconds(60));
    }
  }

  @Test
  void aWrongEncryptionKey_stopsStartUpWithCode2() throws Exception {
    Path dir = newDataDir();
    try (JarProcess first = serve(dir, JarProcess.freePort())) {
      assertThat(first.process.isAlive()).isTrue();
    }
    JarProcess wrong =
        JarProcess.run(
            env(dir, "ENCRYPTION_KEY", "another-secret-of-enough-length-xyz", "PORT", "0"),
            "serve");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(String.join("\n", wrong.err)).contains("ENCRYPTION_KEY");
  }

  @Test
  void besideARunningServer_usersCreateAndSyncWorkOnTheEmbeddedDatabase() throws Exception {
    Path dir = newDataDir();
    int port = JarProcess.freePort();
    try (JarProcess server = serve(dir, port)) {
      assertThat(embeddedDatabaseListeners(dir))
          .as("H2's auto-server sockets")
          .isNotEmpty()
          .allMatch(
              a ->
                  Set.of(
                          "0100007F",
                          "0000000000000000FFFF00000100007F",
                          "00000000000000000000000001000000")
                      .contains(a));
      JarProcess created = JarProcess.run(env(dir), "users", "create", "alice");
      assertThat(created.exitCode()).as(String.join("\n", created.err)).isZero();
      String token = created.lastOut();
      assertThat(token).startsWith("vu_");

      JarProcess notConnected =
          JarProcess.run(env(dir, "ENCRYPTION_KEY", SECRET), "sync", "--user", "alice");
      assertThat(notConnected.exitCode()).isEqualTo(1);
      assertThat(JSON.readTree(notConnected.lastOut()).get("code").asText())
          .isEqualTo("not_connected");

      assertThat(
              http(port, "POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + VAPI_KEY + "\"}")
                  .statusCode())
          .isEqualTo(200);
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      JarProcess synced =
          JarProcess.run(
              env(dir, "ENCRYPTION_KEY", SECRET),
              "sync",
              "--user",
              "alice",
              "--start",
              today.withDayOfMonth(1).minusMonths(1).toString(),
              "--end",
              today.toString());
      assertThat(synced.exitCode()).as(String.join("\n", synced.err)).isZero();
      JsonNode result = JSON.readTree(synced.lastOut());
      assertThat(result.get("status").asText()).isEqualTo("completed");
      assertThat(result.get("syncedCalls").asLong()).isEqualTo(simulator.data().size());
      assertThat(synced.err).anySatisfy(line -> assertThat(line).contains("calls stored"));

      JsonNode usage =
          JSON.readTree(
              http(
                      port,
                      "GET",
                      "/api/vapi/usage?startDate="
                          + today.withDayOfMonth(1).minusMonths(1)
                          + "&endDate="
                          + today,
                      token,
                      null)
                  .body());
      assertThat(usage.at("/totals/calls").asLong()).isEqualTo(simulator.data().size());
    }
  }

  @Test
  void aCliSyncBesideTheServersSyncOfTheSameUser_exits1WithSyncInProgress() throws Exception {
    Path dir = newDataDir();
    int port = JarProcess.freePort();
    try (JarProcess server = serve(dir, port)) {
      String token = JarProcess.run(env(dir), "users", "create", "bob").lastOut();
      assertThat(
              http(port, "POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + VAPI_KEY + "\"}")
                  .statusCode())
          .isEqualTo(200);
      // Every request to Vapi takes 8 s: the server's sync outlasts the CLI's start-up.
      simulator.faults(Faults.none().withDelays(1.0, Duration.ofSeconds(8)));
      try {
        CompletableFuture<HttpResponse<String>> serverSync =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return http(port, "POST", "/api/vapi/sync", token, null);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        // Wait until the server's sync holds the lease, instead of guessing how long that takes.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"running"
            .equals(
                JSON.readTree(http(port, "GET", "/api/vapi/connect", token, null).body())
                    .path("lastSyncStatus")
                    .asText())) {
          assertThat(System.nanoTime())
              .as("the server's sync never showed as running")
              .isLessThan(deadline);
          Thread.sleep(50);
        }
        JarProcess cli =
            JarProcess.run(env(dir, "ENCRYPTION_KEY", SECRET), "sync", "--user", "bob");
        assertThat(cli.exitCode()).as(String.join("\n", cli.err)).isEqualTo(1);
        assertThat(JSON.readTree(cli.lastOut()).get("code").asText()).isEqualTo("sync_in_progress");
        assertThat(serverSync.get().statusCode()).isEqualTo(200);
      } finally {
        simulator.faults(Faults.none());
      }
    }
  }

  @Test
  void demo_printsTheDashboardATokenAndTheVapiKey_andLeavesNoFolderBehind() throws Exception {
    int port = JarProcess.freePort();
    Path tmp = Files.createTempDirectory("vapi-usage-cli-tmp-");
    // On HOST=0.0.0.0 the URL printed is one a browser can open.
    try (JarProcess demo =
        JarProcess.start(
            Map.of(
                "PORT",
                Integer.toString(port),
                "HOST",
                "0.0.0.0",
                "JAVA_TOOL_OPTIONS",
                "-Djava.io.tmpdir=" + tmp),
            "demo",
            "--calls",
            "3000")) {
      String dashboard =
          demo.awaitLine(line -> line.startsWith("Dashboard: "), Duration.ofSeconds(90));
      String token =
          demo.awaitLine(line -> line.startsWith("Token: "), Duration.ofSeconds(10))
              .substring("Token: ".length());
      String vapiKey =
          demo.awaitLine(line -> line.startsWith("Vapi key: "), Duration.ofSeconds(10))
              .substring("Vapi key: ".length());
      assertThat(dashboard).isEqualTo("Dashboard: http://localhost:" + port + "/dashboard");
      assertThat(demoFolders(tmp)).hasSize(1);
      JsonNode usage = JSON.readTree(http(port, "GET", "/api/vapi/usage", token, null).body());
      assertThat(usage.at("/totals/calls").asLong()).isPositive();
      assertThat(usage.at("/totals/cost").decimalValue()).isPositive();
      // The key printed is the one to reconnect with after a disconnect in Settings.
      assertThat(http(port, "DELETE", "/api/vapi/connect", token, null).statusCode())
          .isIn(200, 204);
      assertThat(
              http(port, "POST", "/api/vapi/connect", token, "{\"apiKey\":\"" + vapiKey + "\"}")
                  .statusCode())
          .isEqualTo(200);
    }
    assertThat(demoFolders(tmp)).as("the throw-away data folder after a stop").isEmpty();
  }

  @Test
  void demo_stoppedDuringStartUp_leavesNoFolderBehind() throws Exception {
    Path tmp = Files.createTempDirectory("vapi-usage-cli-tmp-");
    try (JarProcess demo =
        JarProcess.start(
            Map.of(
                "PORT",
                Integer.toString(JarProcess.freePort()),
                "JAVA_TOOL_OPTIONS",
                "-Djava.io.tmpdir=" + tmp),
            "demo",
            "--calls",
            "50000")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (demoFolders(tmp).isEmpty() && demo.process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(demoFolders(tmp)).as("the demo's folder appeared; stderr=" + demo.err).hasSize(1);
      assertThat(demo.out).as("still starting").noneMatch(line -> line.startsWith("Token: "));
    }
    assertThat(demoFolders(tmp))
        .as("the throw-away data folder after a stop during start-up")
        .isEmpty();
  }

  @Test
  void demo_refusesOptionsItWouldIgnore() throws Exception {
    for (String option :
        List.of(
            "--database-url",
            "--data-dir",
            "--vapi-base-url",
            "--encryption-key-file",
            "--sync-interval")) {
      JarProcess run = JarProcess.run(Map.of(), "demo", option, "x");
      assertThat(run.exitCode()).as(option).isEqualTo(2);
      assertThat(run.err)
          .as(option)
          .singleElement()
          .satisfies(line -> assertThat(line).contains(option, "demo --help"));
    }
    JarProcess help = JarProcess.run(Map.of(), "demo", "--help");
    assertThat(String.join("\n", help.out))
        .contains("--host", "--port", "--calls")
        .doesNotContain("--database-url", "--data-dir");
  }

  private static List<Path> demoFolders(Path tmp) throws Exception {
    try (var entries = Files.list(tmp)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("vapi-usage-demo-"))
          .toList();
    }
  }

  @Test
  void aPortInUse_stopsStartUpWithOneLineNamingPort() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      JarProcess run =
          JarProcess.run(
              env(newDataDir(), "ENCRYPTION_KEY", SECRET, "PORT", Integer.toString(port)), "serve");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err)
          .singleElement()
          .isEqualTo("vapi-usage: PORT " + port + " is already in use on 127.0.0.1");
      JarProcess demo = JarProcess.run(Map.of("PORT", Integer.toString(port)), "demo");
      assertThat(demo.exitCode()).isEqualTo(2);
      assertThat(demo.err)
          .singleElement()
          .satisfies(line -> assertThat(line).contains("PORT " + port));
    }
  }

  @Test
  void anUnreachableDatabase_isOneLineNamingDatabaseUrl() throws Exception {
    Path dir = newDataDir();
    JarProcess serve =
        JarProcess.run(
            env(
                dir,
                "ENCRYPTION_KEY",
                SECRET,
                "PORT",
                "0",
                "DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:1/x"),
            "serve");
    assertThat(serve.exitCode()).isEqualTo(2);
    assertThat(serve.err)
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("vapi-usage: DATABASE_URL"));
    JarProcess users =
        JarProcess.run(
            env(dir, "DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/x"),
            "users",
            "create",
            "alice");
    assertThat(users.exitCode()).isEqualTo(2);
    assertThat(users.err)
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("vapi-usage: DATABASE_URL"));
  }

  @Test
  void serve_saysWhereItListensAndWhatToDoNext_andWhenItStopped() throws Exception {
    Path dir = newDataDir();
    int port = JarProcess.freePort();
    try (JarProcess server = serve(dir, port)) {
      List<String> started =
          server.err.stream().filter(line -> line.contains("listening on")).toList();
      assertThat(started)
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains(
                          "vapi-usage listening on http://127.0.0.1:"
                              + port
                              + "/ - next: java -jar ",
                          "vapi-usage.jar users create <userId>, then sign in at http://127.0.0.1:"
                              + port
                              + "/login"));
      assertThat(server.stop()).as("exit code after SIGTERM").isEqualTo(143);
      assertThat(String.join("\n", server.err)).containsOnlyOnce("vapi-usage stopped");
    }
  }

  @Test
  void theEncryptionKey_comesFromAFileWithoutItsNewline_neverFromAFlag() throws Exception {
    Path dir = newDataDir();
    Path keyFile = Files.writeString(dir.resolveSibling(dir.getFileName() + ".key"), SECRET + "\n");
    int port = JarProcess.freePort();
    Map<String, String> noKey = env(dir, "PORT", Integer.toString(port));
    try (JarProcess server =
        JarProcess.start(noKey, "serve", "--encryption-key-file", keyFile.toString())) {
      server.awaitLine(line -> line.contains("listening on"), Duration.ofSeconds(60));
    }
    // The same secret from the variable opens the keys: the file's newline was not part of it.
    try (JarProcess again = serve(dir, JarProcess.freePort())) {
      assertThat(again.process.isAlive()).isTrue();
    }
    JarProcess fromEnvFile =
        JarProcess.run(
            env(dir, "ENCRYPTION_KEY_FILE", keyFile.toString()), "sync", "--user", "nobody");
    assertThat(fromEnvFile.exitCode())
        .as(String.join("\n", fromEnvFile.err))
        .isEqualTo(1); // got past the key: not connected

    JarProcess unreadable =
        JarProcess.run(noKey, "serve", "--encryption-key-file", dir.resolve("missing").toString());
    assertThat(unreadable.exitCode()).isEqualTo(2);
    assertThat(unreadable.err)
        .singleElement()
        .satisfies(line -> assertThat(line).contains("--encryption-key-file"));

    for (String flag : List.of("--encryption-key", "--database-password")) {
      JarProcess refused = JarProcess.run(noKey, "serve", flag + "=" + SECRET);
      assertThat(refused.exitCode()).as(flag).isEqualTo(2);
      assertThat(refused.err)
          .as(flag)
          .singleElement()
          .satisfies(line -> assertThat(line).contains(flag).doesNotContain(SECRET));
    }
    JarProcess oldKey = JarProcess.run(noKey, "rotate-key", "--old-encryption-key", SECRET);
    assertThat(oldKey.exitCode()).isEqualTo(2);
    assertThat(oldKey.err)
        .singleElement()
        .satisfies(line -> assertThat(line).contains("OLD_ENCRYPTION_KEY").doesNotContain(SECRET));
  }

  @Test
  void help_listsTheCommands() throws Exception {
    JarProcess help = JarProcess.run(Map.of(), "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(String.join("\n", help.out))
        .contains("serve", "users", "sync", "rotate-key", "demo", "-h, --help")
        .doesNotContain("${");
  }

  @Test
  void usersCreateHelp_listsOnlyItsOwnOptions() throws Exception {
    JarProcess help = JarProcess.run(Map.of(), "users", "create", "--help");
    assertThat(help.exitCode()).isZero();
    String text = String.join("\n", help.out);
    assertThat(text)
        .contains("<userId>", "--database-url", "--data-dir")
        .doesNotContain(
            "--port",
            "--host",
            "--vapi-base-url",
            "--sync-interval",
            "--encryption-key",
            "--allowed-hosts");
  }

  @Test
  void anUnknownCommand_isOneLinePointingToHelp() throws Exception {
    JarProcess run = JarProcess.run(Map.of(), "frobnicate");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out).isEmpty();
    assertThat(run.err)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("vapi-usage: unknown command 'frobnicate'")
                    .contains("vapi-usage.jar --help"));
  }
}
