package dev.vapiusage.bootstrap;

import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.Redacted;
import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.application.SyncListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the HTTP server, the dashboard and the background sync until the process is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the HTTP server, the dashboard and the background sync (the default).")
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
    settings.syncInterval();
    settings.staleAfter();
    settings.vapiBaseUrl();
    settings.databaseUrl();
    Listening.check(host, port);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // The server is the library's entry point plus what only a standalone process has: API
    // tokens and the login page, the Host allow-list, Prometheus text on /metrics.
    VapiUsage vapiUsage = Wiring.vapiUsage(settings, registry, SyncListener.NONE);
    try {
      VapiUsageHttp http =
          Listening.start(
              vapiUsage
                  .standaloneServer()
                  .allowedHosts(allowedHosts)
                  .meterRegistry(registry)
                  .prometheusText(registry::scrape)
                  .build(),
              host,
              port);
      vapiUsage.start();
      // The hook first: a stop right after the line below still closes everything.
      CountDownLatch stopped = stopOnShutdown(http, vapiUsage);
      String url = Listening.url(host, http.port(), allowedHosts, "/");
      LOG.info(
          "vapi-usage listening on {} - next: {} users create <userId>, then sign in at {}login",
          url,
          Main.invocation(),
          url);
      stopped.await();
      return Main.OK;
    } catch (RuntimeException e) {
      vapiUsage.close();
      throw e;
    }
  }

  /** Closes {@code resources} in order when the process stops; the latch opens when they are. */
  static CountDownLatch stopOnShutdown(AutoCloseable... resources) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable resource : resources) {
                    try {
                      resource.close();
                    } catch (Exception e) {
                      LOG.warn(
                          "Stopping {} failed: {}",
                          resource.getClass().getSimpleName(),
                          Redacted.describe(e));
                    }
                  }
                  LOG.info("vapi-usage stopped");
                  stopped.countDown();
                },
                "shutdown"));
    return stopped;
  }
}
