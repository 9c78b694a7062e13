package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.http.Redacted;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.domain.port.KeyVault;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the HTTP server, the dashboard and the background sync until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the HTTP server, the dashboard and the background sync (the default).")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    Settings settings = Wiring.settings(options);
    // Every value is checked before anything starts, so a bad one costs no start-up work.
    String encryptionKey = settings.encryptionKey();
    String host = settings.host();
    int port = settings.port();
    Set<String> allowedHosts = settings.allowedHosts();
    Duration interval = settings.syncInterval();
    Duration staleAfter = settings.staleAfter();
    settings.vapiBaseUrl();
    settings.databaseUrl();
    Listening.check(host, port);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Database database = Wiring.database(settings);
    try {
      KeyVault vault = database.keyVault(encryptionKey);
      Services services =
          new Services(database, vault, Wiring.vapi(settings, registry), Clock.systemUTC(), staleAfter, new SyncMeters(registry));
      VapiUsageHttp http = Listening.start(services.http(registry, allowedHosts), host, port);
      BackgroundSync background = new BackgroundSync(services.syncAll, interval).start();
      // The hook first: a stop right after the line below still closes everything.
      CountDownLatch stopped = stopOnShutdown(background, http, database);
      String url = Listening.url(host, http.port(), allowedHosts, "/");
      LOG.info("vapi-usage listening on {} - next: {} users create <userId>, then sign in at {}login",
          url, Main.invocation(), url);
      stopped.await();
      return Main.OK;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** Closes {@code resources} in order when the process stops; the latch opens when they are. */
  static CountDownLatch stopOnShutdown(AutoCloseable... resources) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (AutoCloseable resource : resources) {
        try {
          resource.close();
        } catch (Exception e) {
          LOG.warn("Stopping {} failed: {}", resource.getClass().getSimpleName(), Redacted.describe(e));
        }
      }
      LOG.info("vapi-usage stopped");
      stopped.countDown();
    }, "shutdown"));
    return stopped;
  }
}
