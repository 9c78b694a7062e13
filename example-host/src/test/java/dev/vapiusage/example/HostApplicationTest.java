package dev.vapiusage.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.vapiusage.adapter.persistence.HostDatabase;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example host application end to end on PostgreSQL: a user signs in to the host, connects
 * Vapi, syncs and reads usage under /admin/vapi, and the host's own tables and migration history
 * are exactly what they were.
 */
class HostApplicationTest {
  private static final String VAPI_KEY = "sk-example-host-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aHostUserSignsInConnectsSyncsAndReadsUsage_andTheHostsSchemaIsUntouched() throws Exception {
    Instant now = Instant.now();
    Instant from =
        LocalDate.now(ZoneOffset.UTC)
            .withDayOfMonth(1)
            .minusMonths(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    try (HostDatabase database = HostDatabase.create();
        HikariDataSource pool = database.pool(5);
        VapiSimulator vapi =
            VapiSimulator.start(
                SimulatorData.generated(17, 300, from, now.minusSeconds(60)), VAPI_KEY)) {
      HostApplication.migrate(pool);
      HostApplication.addUser(pool, "ada@example.com", "correct horse battery staple");
      List<String> publicBefore = database.dump("public");
      assertThat(publicBefore)
          .contains("relation flyway_schema_history r", "relation users r", "relation api_token r");

      try (HostApplication host =
          HostApplication.start(
              pool, "the-example-hosts-secret-0123456789abcdef", vapi.baseUri(), 0)) {
        String base = "http://127.0.0.1:" + host.port();
        HttpClient browser =
            HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> stranger =
            send(browser, "GET", base + HostApplication.PREFIX + "/dashboard", null, null);
        assertThat(stranger.statusCode()).isIn(302, 303);
        assertThat(stranger.headers().firstValue("Location")).hasValue("/sign-in");
        assertThat(
                send(
                        browser,
                        "GET",
                        base + HostApplication.PREFIX + "/api/vapi/connect",
                        null,
                        null)
                    .statusCode())
            .isEqualTo(401);

        HttpResponse<String> wrong =
            send(
                browser,
                "POST",
                base + "/sign-in",
                form("ada@example.com", "wrong"),
                "application/x-www-form-urlencoded");
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> signedIn =
            send(
                browser,
                "POST",
                base + "/sign-in",
                form("ada@example.com", "correct horse battery staple"),
                "application/x-www-form-urlencoded");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location"))
            .hasValue(HostApplication.PREFIX + "/dashboard");

        HttpResponse<String> page =
            send(browser, "GET", base + HostApplication.PREFIX + "/dashboard", null, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
            .contains(
                "ada@example.com",
                HostApplication.PREFIX + "/assets/app.js",
                HostApplication.PREFIX + "/dashboard/usage");
        for (String path :
            List.of(
                "/dashboard/usage",
                "/dashboard/billing",
                "/dashboard/settings",
                "/assets/app.js",
                "/assets/app.css")) {
          assertThat(
                  send(browser, "GET", base + HostApplication.PREFIX + path, null, null)
                      .statusCode())
              .as(path)
              .isEqualTo(200);
        }

        HttpResponse<String> connected =
            send(
                browser,
                "POST",
                base + HostApplication.PREFIX + "/api/vapi/connect",
                "{\"apiKey\":\"" + VAPI_KEY + "\"}",
                "application/json",
                "Origin",
                base);
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        HttpResponse<String> synced =
            send(
                browser,
                "POST",
                base + HostApplication.PREFIX + "/api/vapi/sync",
                null,
                null,
                "Origin",
                base);
        assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
        assertThat(JSON.readTree(synced.body()).get("syncedCalls").asLong())
            .isEqualTo(vapi.data().size());
        JsonNode usage =
            JSON.readTree(
                send(
                        browser,
                        "GET",
                        base
                            + HostApplication.PREFIX
                            + "/api/vapi/usage?startDate="
                            + from.atOffset(ZoneOffset.UTC).toLocalDate()
                            + "&endDate="
                            + LocalDate.now(ZoneOffset.UTC),
                        null,
                        null)
                    .body());
        assertThat(usage.at("/totals/calls").asLong()).isEqualTo(vapi.data().size());
        HttpResponse<String> foreign =
            send(
                browser,
                "DELETE",
                base + HostApplication.PREFIX + "/api/vapi/connect",
                null,
                null,
                "Origin",
                "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
      }

      assertThat(database.dump("public")).isEqualTo(publicBefore);
      assertThat(database.schemas()).containsExactlyInAnyOrder("public", "vapi_usage");
      assertThat(database.tables("vapi_usage")).contains("flyway_schema_history");
    }
  }

  private static String form(String email, String password) {
    return "email="
        + URLEncoder.encode(email, StandardCharsets.UTF_8)
        + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> send(
      HttpClient client,
      String method,
      String url,
      String body,
      String contentType,
      String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
