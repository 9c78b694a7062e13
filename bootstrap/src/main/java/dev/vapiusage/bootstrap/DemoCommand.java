package dev.vapiusage.bootstrap;

import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.Redacted;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The server on a throw-away embedded database, with a built-in Vapi simulator full of generated
 * calls and user {@code demo} connected to it, whose new calls arrive live through the webhook: a
 * look at the product without a Vapi account. It takes only the options it honours (where to
 * listen, how many calls): its database and its Vapi are its own. The throw-away folder is deleted
 * however the process ends, short of a kill -9.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start the server on a throw-away database with a simulated Vapi account; prints the dashboard URL, a token and the simulator's Vapi key.")
final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
  private static final String DEMO_KEY = "demo-vapi-private-key";
  private static final Duration LIVE_CALL_EVERY = Duration.ofSeconds(5);

  @Mixin ConfigOptions.ListenOptions listen;

  @Option(
      names = "--calls",
      description = "how many calls the simulated account holds (default 20000)")
  int calls = 20_000;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    // STALE_AFTER from the environment: the demo takes no option for it.
    Settings settings = Wiring.settings(options -> options.listen = listen);
    String host = settings.host();
    int port = settings.port();
    Set<String> allowedHosts = settings.allowedHosts();
    Listening.check(host, port);
    Clock clock = Clock.systemUTC();

    Teardown teardown = new Teardown();
    Runtime.getRuntime().addShutdownHook(new Thread(teardown::close, "demo-shutdown"));
    VapiUsageHttp http;
    String token;
    try {
      Instant now = clock.instant();
      Instant from =
          LocalDate.ofInstant(now, ZoneOffset.UTC)
              .withDayOfMonth(1)
              .minusMonths(2)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
      VapiSimulator simulator =
          teardown.add(
              VapiSimulator.start(SimulatorData.generated(42, calls, from, now), DEMO_KEY));
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      VapiUsage vapiUsage =
          teardown.open(
              VapiUsage.builder()
                  .encryptionKey(randomSecret())
                  .vapiBaseUrl(simulator.baseUri())
                  .vapiClient(Wiring::vapiClient)
                  .staleAfter(settings.staleAfter())
                  .clock(clock)
                  .meterRegistry(registry));

      UserId demo = UserId.of("demo");
      token = vapiUsage.createUserToken(demo);
      vapiUsage.connect(demo, ApiKey.of(DEMO_KEY));
      vapiUsage.sync().sync(SyncCommand.incremental(demo));
      vapiUsage.start();
      http =
          teardown.add(
              Listening.start(
                  vapiUsage
                      .standaloneServer()
                      .allowedHosts(allowedHosts)
                      .meterRegistry(registry)
                      .prometheusText(registry::scrape)
                      .build(),
                  host,
                  port));
      // Pushed calls go over loopback to the server's own webhook route, as Vapi's would.
      teardown.add(
          DemoPush.start(
              simulator,
              URI.create(Listening.url(host, http.port(), allowedHosts, "")),
              token,
              LIVE_CALL_EVERY));
    } catch (Exception | Error e) {
      teardown.close();
      throw e;
    }

    PrintWriter out = spec.commandLine().getOut();
    out.println("Dashboard: " + Listening.url(host, http.port(), allowedHosts, "/dashboard"));
    out.println("Token: " + token);
    out.println("Vapi key: " + DEMO_KEY);
    out.println(
        "Calls now arrive live: a new simulated call every "
            + LIVE_CALL_EVERY.toSeconds()
            + " s is pushed to the webhook (Settings shows its URL)");
    out.flush();
    teardown.closed.await();
    return Main.OK;
  }

  private static String randomSecret() {
    byte[] bytes = new byte[36];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * What the demo started, closed in reverse order by whoever comes first: the shutdown hook (a
   * stop, Ctrl-C, an exit) or a failing start-up. The throw-away folder goes last. Once closed,
   * nothing new starts: the folder is created under the same lock that deletes it, so a stop during
   * start-up cannot leave a folder behind.
   */
  private static final class Teardown {
    final CountDownLatch closed = new CountDownLatch(1);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Path dataDir;
    private boolean closing;

    synchronized <T extends AutoCloseable> T add(T resource) {
      if (closing) {
        closeQuietly(resource);
        throw new IllegalStateException("the demo is stopping");
      }
      resources.push(resource);
      return resource;
    }

    /** The product on a new throw-away embedded database. */
    synchronized VapiUsage open(VapiUsage.Builder builder) throws IOException {
      if (closing) {
        throw new IllegalStateException("the demo is stopping");
      }
      dataDir = Files.createTempDirectory("vapi-usage-demo-");
      return add(builder.embedded(dataDir).build());
    }

    synchronized void close() {
      if (closing) {
        return;
      }
      closing = true;
      while (!resources.isEmpty()) {
        closeQuietly(resources.pop());
      }
      if (dataDir != null) {
        deleteRecursively(dataDir);
      }
      LOG.info("vapi-usage stopped");
      closed.countDown();
    }

    private static void closeQuietly(AutoCloseable resource) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn(
            "Stopping {} failed: {}", resource.getClass().getSimpleName(), Redacted.describe(e));
      }
    }

    private static void deleteRecursively(Path dir) {
      // A file the database still writes while closing can appear after the walk: walk again.
      for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
        try (Stream<Path> paths = Files.walk(dir)) {
          paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
          // Retried below.
        }
        if (Files.exists(dir)) {
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      if (Files.exists(dir)) {
        LOG.warn("Could not delete the demo's folder {}", dir);
      }
    }
  }
}
