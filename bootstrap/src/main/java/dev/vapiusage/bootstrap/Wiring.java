package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.domain.port.MetricsSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/** Opens the adapters a command needs from its settings. */
final class Wiring {
  private Wiring() {}

  static Settings settings(ConfigOptions options) {
    return new Settings(System.getenv(), options == null ? Map.of() : options.asVariables());
  }

  /** PostgreSQL when {@code DATABASE_URL} is set, else the embedded H2 database in {@code DATA_DIR}. */
  static Database database(Settings settings) {
    return settings
        .databaseUrl()
        .map(url -> Database.connect(url, settings.databaseUser().orElse(null), settings.databasePassword().orElse(null)))
        .orElseGet(() -> Database.embedded(settings.dataDir()));
  }

  static MetricsSource vapi(Settings settings, MeterRegistry registry) {
    return new MeteredMetricsSource(new VapiClient(VapiClientConfig.forBaseUri(settings.vapiBaseUrl())), registry);
  }
}
