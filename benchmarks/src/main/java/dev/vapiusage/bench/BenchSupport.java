package dev.vapiusage.bench;

import dev.vapiusage.bootstrap.Main;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the benchmarks share: options, a scratch schema on the PostgreSQL given, and a heap-use
 * sampler.
 */
final class BenchSupport {
  private BenchSupport() {}

  /**
   * {@code --name value} pairs and {@code --flag}s; {@code --url}, {@code --user} and {@code
   * --password} default to DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD, or else to the tests'
   * TEST_DATABASE_URL, TEST_DATABASE_USER and TEST_DATABASE_PASSWORD.
   */
  static Map<String, String> options(String[] args, Set<String> flags, String usage) {
    Map<String, String> options = new HashMap<>();
    if (System.getenv("DATABASE_URL") == null || System.getenv("DATABASE_URL").isBlank()) {
      putEnv(options, "url", "TEST_DATABASE_URL");
      putEnv(options, "user", "TEST_DATABASE_USER");
      putEnv(options, "password", "TEST_DATABASE_PASSWORD");
    }
    putEnv(options, "url", "DATABASE_URL");
    putEnv(options, "user", "DATABASE_USER");
    putEnv(options, "password", "DATABASE_PASSWORD");
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        fail(usage);
      }
      String name = arg.substring(2);
      if (flags.contains(name)) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        fail(usage);
      }
    }
    String url = options.get("url");
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      fail("a PostgreSQL JDBC URL is needed (--url or DATABASE_URL)\n" + usage);
    }
    return options;
  }

  private static void putEnv(Map<String, String> options, String name, String variable) {
    String value = System.getenv(variable);
    if (value != null && !value.isBlank()) {
      options.put(name, value);
    }
  }

  /**
   * The JVM-wide settings a benchmark's main makes, as the owner of its JVM: TCP_NODELAY for the
   * simulator's JDK HttpServer (else small answers wait out delayed ACKs) and, when {@code
   * serverClient}, the server's Vapi client buffer size ({@code Main.HTTP_CLIENT_BUFSIZE}), so the
   * client runs as it does in the server. Neither is set if given on the command line.
   */
  static void ownJvm(boolean serverClient) {
    setIfUnset("sun.net.httpserver.nodelay", "true");
    if (serverClient) {
      setIfUnset("jdk.httpclient.bufsize", Main.HTTP_CLIENT_BUFSIZE);
    }
  }

  private static void setIfUnset(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }

  /** A new, empty schema on the server: the benchmark never touches anything else there. */
  record Scratch(String url, String user, String password, String schema) implements AutoCloseable {
    static Scratch create(Map<String, String> options, String prefix) throws SQLException {
      byte[] random = new byte[5];
      new SecureRandom().nextBytes(random);
      String schema = prefix + "_" + HexFormat.of().formatHex(random);
      String url = options.get("url");
      try (Connection admin =
              DriverManager.getConnection(url, options.get("user"), options.get("password"));
          Statement statement = admin.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
      }
      return new Scratch(url, options.get("user"), options.get("password"), schema);
    }

    String schemaUrl() {
      return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(schemaUrl(), user, password);
    }

    /**
     * Starts a phase without a previous phase's checkpoint pending (needs rights; skipped without).
     */
    void checkpoint() {
      try (Connection c = connect();
          Statement statement = c.createStatement()) {
        statement.execute("CHECKPOINT");
      } catch (SQLException e) {
        // Neither superuser nor pg_checkpoint: measure without it.
      }
    }

    @Override
    public void close() throws SQLException {
      try (Connection admin = DriverManager.getConnection(url, user, password);
          Statement statement = admin.createStatement()) {
        statement.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  /**
   * Samples the heap every 10 ms: {@link #peak()} is the most in use (garbage included) since the
   * last reset, {@link #peakAfterGc()} the most left after a collection (what was really live).
   */
  static final class HeapSampler implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
            .toList();
    private final Thread thread;
    private volatile long peak;
    private volatile long peakAfterGc;
    private volatile boolean running = true;

    HeapSampler() {
      thread =
          new Thread(
              () -> {
                while (running) {
                  long used = memory.getHeapMemoryUsage().getUsed();
                  if (used > peak) {
                    peak = used;
                  }
                  long afterGc = 0;
                  for (MemoryPoolMXBean pool : heapPools) {
                    MemoryUsage usage = pool.getCollectionUsage();
                    afterGc += usage == null ? 0 : usage.getUsed();
                  }
                  if (afterGc > peakAfterGc) {
                    peakAfterGc = afterGc;
                  }
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void reset() {
      peak = memory.getHeapMemoryUsage().getUsed();
      peakAfterGc = 0;
    }

    long peak() {
      return peak;
    }

    long peakAfterGc() {
      return peakAfterGc;
    }

    static long max() {
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }

  static String mib(long bytes) {
    return String.format("%,.0f MiB", bytes / 1024.0 / 1024.0);
  }

  static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
