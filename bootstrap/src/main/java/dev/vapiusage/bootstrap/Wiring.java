package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.domain.port.MetricsSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Opens the adapters a command needs from its settings. */
public final class Wiring {
  /** Requests in flight while a wide creation window is listed (a range or a first sync). */
  private static final int LISTINGS = 2;

  private Wiring() {}

  static Settings settings(OptionGroup... groups) {
    Map<String, String> options = new HashMap<>();
    for (OptionGroup group : groups) {
      if (group != null) {
        group.addTo(options);
      }
    }
    return new Settings(System.getenv(), options);
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

  /** The Vapi client as the server uses it, at a base URL (Vapi's, or a simulator's). */
  public static VapiClient vapiClient(URI baseUri) {
    // The JDK client moves a body in 16 KB buffers by default, each handed from its selector
    // thread to the reader; a page of 1000 calls is megabytes, and 256 KB buffers cut the
    // client's CPU per listed call by about a third (300,000 calls: 3.4 s of HttpClient threads'
    // CPU down to 1.9 s). A JVM-wide setting, so it is the process's owner that makes it, and
    // only when nobody chose a size; it applies to clients created after it.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
    }
    return new VapiClient(VapiClientConfig.forBaseUri(baseUri).withListings(LISTINGS));
  }
}
