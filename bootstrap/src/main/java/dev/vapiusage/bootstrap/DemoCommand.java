package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import dev.vapiusage.application.ConnectCommand;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The server on a throw-away embedded database, with a built-in Vapi simulator full of generated
 * calls and user {@code demo} connected to it: a look at the product without a Vapi account.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start the server on a throw-away database with a simulated Vapi account; prints the dashboard URL and a token.")
final class DemoCommand implements Callable<Integer> {
  private static final String DEMO_KEY = "demo-vapi-private-key";

  @Mixin ConfigOptions options;

  @Option(names = "--calls", description = "how many calls the simulated account holds (default 20000)")
  int calls = 20_000;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Settings settings = Wiring.settings(options);
    String host = settings.host();
    int port = settings.port();
    Set<String> allowedHosts = settings.allowedHosts();
    Clock clock = Clock.systemUTC();
    Path dataDir = Files.createTempDirectory("vapi-usage-demo-");
    Instant now = clock.instant();
    Instant from = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).minusMonths(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    VapiSimulator simulator = VapiSimulator.start(SimulatorData.generated(42, calls, from, now), DEMO_KEY);
    Database database = Database.embedded(dataDir);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Services services =
        new Services(
            database, database.keyVault(randomSecret()),
            new MeteredMetricsSource(Wiring.vapiClient(simulator.baseUri()), registry),
            clock, settings.staleAfter(), new SyncMeters(registry));

    UserId demo = UserId.of("demo");
    String token = services.createToken.create(demo);
    services.connect.connect(new ConnectCommand(demo, ApiKey.of(DEMO_KEY)));
    services.sync.sync(SyncCommand.incremental(demo));
    VapiUsageHttp http = services.http(registry, allowedHosts).start(host, port);

    PrintWriter out = spec.commandLine().getOut();
    out.println("Dashboard: http://" + host + ":" + http.port() + "/dashboard");
    out.println("Token: " + token);
    out.flush();
    ServeCommand.awaitShutdown(http, simulator, database, () -> deleteRecursively(dataDir));
    return Main.OK;
  }

  private static String randomSecret() {
    byte[] bytes = new byte[36];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
