package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.adapter.http.VapiUsageRoutes;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.adapter.vapi.VapiClientConfig;
import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.DisconnectVapi;
import dev.vapiusage.application.ExportCalls;
import dev.vapiusage.application.FetchLiveMetrics;
import dev.vapiusage.application.GetCall;
import dev.vapiusage.application.GetDashboardUsage;
import dev.vapiusage.application.GetIntegrationStatus;
import dev.vapiusage.application.ListCalls;
import dev.vapiusage.application.ManageWebhook;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncSettings;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.application.WatchUsage;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.MetricsSource;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The README's embedding example, compiled and run against a host application's own Javalin. */
class EmbeddingExampleTest {

  @Test
  void theReadmeExample_mountsOnAHostJavalinWithTheHostsUser() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:" + Files.createTempDirectory("vapi-usage-embed-").resolve("host"));
    DataSource dataSource = h2;
    String encryptionKey = "the-host-applications-own-secret-0123456789";
    Instant now = Instant.now();
    try (VapiSimulator simulator =
            VapiSimulator.start(
                SimulatorData.generated(3, 200, now.minus(Duration.ofDays(20)), now), "sk-host");
        Database database = Database.using(dataSource)) {
      Javalin app = Javalin.create();
      app.before(
          ctx ->
              ctx.attribute("userId", ctx.header("X-Host-User"))); // the host's own authentication

      // --- the README example, unchanged but for the Vapi base URL ---
      KeyVault vault = database.keyVault(encryptionKey);
      MetricsSource vapi =
          new VapiClient(VapiClientConfig.defaults().withBaseUri(simulator.baseUri()));
      Clock clock = Clock.systemUTC();
      SyncUsage sync =
          new SyncUsage(
              database.integrations(),
              vault,
              vapi,
              database.usage(),
              database.syncLease(),
              database.syncCursors(),
              clock,
              SyncSettings.DEFAULTS,
              SyncListener.NONE);
      VapiUsageRoutes.builder()
          .connectVapi(new ConnectVapi(database.integrations(), vault, vapi, clock))
          .disconnectVapi(new DisconnectVapi(database.integrations(), clock))
          .integrationStatus(new GetIntegrationStatus(database.integrations()))
          .liveMetrics(new FetchLiveMetrics(database.integrations(), vault, vapi))
          .syncUsage(sync)
          .dashboardUsage(
              new GetDashboardUsage(
                  database.integrations(),
                  database.usage(),
                  sync,
                  clock,
                  Duration.ofMinutes(5),
                  database.versions())) // versions: views kept until data changes
          .listCalls(
              new ListCalls(
                  database.callHistory(), database.assistantNames(), database.signingKeys(), clock))
          .getCall(new GetCall(database.callHistory(), database.assistantNames(), clock))
          .exportCalls(new ExportCalls(database.callHistory(), database.assistantNames(), clock))
          .manageWebhook(new ManageWebhook(database.webhookEndpoints(), vault))
          .acceptServerMessage(
              new AcceptServerMessage(
                  database.webhookEndpoints(),
                  database.integrations(),
                  vault,
                  VapiClient.serverMessageReader(),
                  database.usage(),
                  clock))
          .watchUsage(new WatchUsage(database.versions()))
          .currentUser(
              ctx ->
                  Optional.ofNullable(ctx.<String>attribute("userId"))
                      .map(UserId::of)) // set by your auth
          .build()
          .mount(app);
      // --- end of the example ---

      app.start("127.0.0.1", 0);
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + app.port();
        HttpResponse<String> anonymous =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/vapi/connect")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        HttpResponse<String> connected =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/vapi/connect"))
                    .header("X-Host-User", "host-user-1")
                    .header("Content-Type", "application/json")
                    // The host's user usually rides on a cookie, so writes must come from the
                    // host's own origin.
                    .header("Origin", base)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"sk-host\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(connected.body()).contains("\"connected\":true");

        HttpResponse<String> usage =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/vapi/usage"))
                    .header("X-Host-User", "host-user-1")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(usage.statusCode()).isEqualTo(200);
        assertThat(usage.body()).contains("\"totals\"");
      } finally {
        app.stop();
      }
    }
  }
}
