package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.domain.port.MetricsSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** Opens the adapters a command needs from its settings. */
public final class Wiring {
  /** Requests in flight while a wide creation window is listed (a range or a first sync). */
  private static final int LISTINGS = 2;

  private Wiring() {}

  static Settings settings(ConfigOptions options) {
    return new Settings(System.getenv(), options == null ? Map.of() : options.asVariables());
  }

  /**
   * PostgreSQL (its schema {@code DATABASE_SCHEMA}) when {@code DATABASE_URL} is set, else the
   * embedded H2 database in {@code DATA_DIR}.
   */
  static Database database(Settings settings) {
    Optional<String> url = settings.databaseUrl();
    // Checked with H2 too: a bad value fails at once, not when DATABASE_URL is set later.
    String schema = settings.databaseSchema();
    return url.map(u -> Database.connect(u, settings.databaseUser().orElse(null), settings.databasePassword().orElse(null), schema))
        .orElseGet(() -> Database.embedded(settings.dataDir()));
  }

  static MetricsSource vapi(Settings settings, MeterRegistry registry) {
    return new MeteredMetricsSource(vapiClient(settings.vapiBaseUrl()), registry);
  }

  /**
   * The Vapi client as the server uses it, at a base URL (Vapi's, or a simulator's). Its buffer
   * size is a JVM-wide setting that {@link Main#main} makes, see {@link Main#HTTP_CLIENT_BUFSIZE}.
   */
  public static VapiClient vapiClient(URI baseUri) {
    return new VapiClient(VapiClientConfig.forBaseUri(baseUri).withListings(LISTINGS));
  }
}
