package dev.vapiusage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import io.javalin.Javalin;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding example, taken from the README itself, compiled with javac and run in a
 * host application: what a reader copies is what this test runs.
 */
class ReadmeExampleTest {
  private static final Pattern EXAMPLE =
      Pattern.compile("<!-- embedding-example -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void theReadmesEmbeddingExample_compilesAndServesAHostsUserUnderItsPrefix() throws Exception {
    String example = readmeExample();
    assertThat(example.lines().count()).as("a dozen lines").isLessThanOrEqualTo(14);
    Method run = compile(example);

    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:" + Files.createTempDirectory("vapi-usage-readme-").resolve("host"));
    Instant now = Instant.now();
    try (VapiSimulator simulator =
        VapiSimulator.start(
            SimulatorData.generated(5, 150, now.minus(Duration.ofDays(20)), now),
            "sk-readme-key")) {
      Javalin app = Javalin.create(config -> config.showJavalinBanner = false);
      // The host's own authentication, as simple as it gets: it trusts a header.
      app.before(ctx -> ctx.attribute("userId", ctx.header("X-Host-User")));
      try (VapiUsage vapiUsage =
          (VapiUsage)
              run.invoke(
                  null,
                  h2,
                  "the-host-applications-own-secret-0123456789",
                  simulator.baseUri(),
                  app)) {
        app.start("127.0.0.1", 0);
        String base = "http://127.0.0.1:" + app.port();

        HttpResponse<String> connected =
            send(
                "POST",
                base + "/admin/vapi/api/vapi/connect",
                "{\"apiKey\":\"sk-readme-key\"}",
                base);
        HttpResponse<String> synced = send("POST", base + "/admin/vapi/api/vapi/sync", null, base);
        JsonNode usage =
            JSON.readTree(send("GET", base + "/admin/vapi/api/vapi/usage", null, null).body());
        HttpResponse<String> page = send("GET", base + "/admin/vapi/dashboard", null, null);

        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        assertThat(synced.statusCode()).as(synced.body()).isEqualTo(200);
        assertThat(JSON.readTree(synced.body()).get("syncedCalls").asLong()).isEqualTo(150);
        assertThat(usage.at("/totals/calls").asLong()).isPositive();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/admin/vapi/assets/app.js");
        assertThat(vapiUsage.isDatabaseReachable()).isTrue();
      } finally {
        app.stop();
      }
    }
  }

  private static String readmeExample() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("readme", "../README.md")));
    Matcher matcher = EXAMPLE.matcher(readme);
    assertThat(matcher.find()).as("the README marks its embedding example").isTrue();
    return matcher.group(1);
  }

  /**
   * The example as the body of {@code run(dataSource, encryptionKey, vapiBaseUrl, app)}, compiled.
   */
  private static Method compile(String example) throws Exception {
    Path dir = Files.createTempDirectory("vapi-usage-readme-src-");
    String source =
        String.join(
            "\n",
            "import dev.vapiusage.VapiUsage;",
            "import dev.vapiusage.domain.UserId;",
            "import io.javalin.Javalin;",
            "import java.net.URI;",
            "import java.util.Optional;",
            "import javax.sql.DataSource;",
            "public class ReadmeExample {",
            "  public static VapiUsage run(DataSource dataSource, String encryptionKey, URI vapiBaseUrl, Javalin app) {",
            example,
            "    return vapiUsage;",
            "  }",
            "}");
    Path file = dir.resolve("ReadmeExample.java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status =
        javac.run(
            null,
            null,
            null,
            List.of(
                    "-classpath",
                    System.getProperty("java.class.path"),
                    "-d",
                    dir.toString(),
                    file.toString())
                .toArray(String[]::new));
    assertThat(status).as("javac on the README example:\n%s", source).isZero();
    URLClassLoader loader =
        new URLClassLoader(
            new URL[] {dir.toUri().toURL()}, ReadmeExampleTest.class.getClassLoader());
    return loader
        .loadClass("ReadmeExample")
        .getMethod("run", DataSource.class, String.class, URI.class, Javalin.class);
  }

  private static HttpResponse<String> send(String method, String url, String body, String origin)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("X-Host-User", "alice");
    if (origin != null) {
      request.header("Origin", origin);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
