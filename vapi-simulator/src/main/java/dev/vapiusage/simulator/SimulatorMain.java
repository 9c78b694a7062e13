package dev.vapiusage.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a {@link VapiSimulator} until killed: {@code --port=8089 --calls=100000 --days=90 --seed=42
 * --key=demo-key}; calls are generated over the last {@code days} days up to now.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    // This main owns its JVM, so it may make the JVM-wide setting the simulator itself leaves
    // alone.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        System.err.println(
            "usage: SimulatorMain [--port=8089] [--calls=100000] [--days=90] [--seed=42] [--key=demo-key]");
        System.exit(2);
      }
      options.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    int port = Integer.parseInt(options.getOrDefault("port", "8089"));
    int calls = Integer.parseInt(options.getOrDefault("calls", "100000"));
    int days = Integer.parseInt(options.getOrDefault("days", "90"));
    long seed = Long.parseLong(options.getOrDefault("seed", "42"));
    String key = options.getOrDefault("key", "demo-key");
    Instant now = Instant.now();
    VapiSimulator simulator =
        VapiSimulator.start(
            SimulatorData.generated(seed, calls, now.minus(Duration.ofDays(days)), now), key, port);
    Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
    System.out.println(simulator.baseUri());
    System.err.println(
        "Vapi simulator at "
            + simulator.baseUri()
            + " with "
            + calls
            + " calls over "
            + days
            + " days");
    simulator.awaitClose();
  }
}
