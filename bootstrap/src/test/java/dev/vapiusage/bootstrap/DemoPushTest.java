package dev.vapiusage.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vapiusage.simulator.LiveCalls;
import dev.vapiusage.simulator.SimulatorData;
import dev.vapiusage.simulator.VapiSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The demo's webhook set-up against a stand-in of the server's routes (contract 9.4): the routes
 * themselves are tested where they are built.
 */
class DemoPushTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "demo-token";
  private static final String WEBHOOK_PATH = "/api/vapi/webhook/5f0c2a9d8e7b6a5f4e3d2c1b0a998877";
  private static final String SECRET = "whsec_demo_0123456789abcdef";

  @Test
  void givenTheServersWebhookRoutes_demoPush_deliversSignedLiveCallsToTheUsersWebhook()
      throws Exception {
    List<String> signedBodies = new CopyOnWriteArrayList<>();
    List<String> refused = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/api/vapi/connect",
        exchange ->
            answer(
                exchange,
                bearerOk(exchange) && exchange.getRequestMethod().equals("GET"),
                // A public URL on another host: the demo delivers to its path on loopback.
                "{\"connected\":true,\"webhookUrl\":\"https://usage.example.com"
                    + WEBHOOK_PATH
                    + "\"}"));
    server.createContext(
        "/api/vapi/webhook/secret",
        exchange ->
            answer(
                exchange,
                bearerOk(exchange) && exchange.getRequestMethod().equals("POST"),
                "{\"secret\":\"" + SECRET + "\"}"));
    server.createContext(
        WEBHOOK_PATH,
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String timestamp = exchange.getRequestHeaders().getFirst("x-timestamp");
          String signature = exchange.getRequestHeaders().getFirst("x-signature");
          boolean valid = timestamp != null && hmacHex(timestamp + "." + body).equals(signature);
          (valid ? signedBodies : refused).add(body);
          answer(exchange, valid, "{\"received\":true}");
        });
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (VapiSimulator simulator = VapiSimulator.start(SimulatorData.empty(), "demo-key")) {
      LiveCalls live = DemoPush.start(simulator, base, TOKEN, Duration.ofMillis(200));
      live.timing(Duration.ZERO, Duration.ZERO, Duration.ofMillis(10), Duration.ZERO);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (reports(signedBodies).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertThat(refused).isEmpty();
      List<JsonNode> reports = reports(signedBodies);
      assertThat(reports).isNotEmpty();
      JsonNode pushed = reports.get(0).at("/message/call");
      HttpResponse<String> polled =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          simulator.baseUri().resolve("/call/" + pushed.get("id").asText()))
                      .header("Authorization", "Bearer demo-key")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(polled.body())).isEqualTo(pushed);
    } finally {
      server.stop(0);
    }
  }

  private static List<JsonNode> reports(List<String> bodies) throws IOException {
    List<JsonNode> reports = new ArrayList<>();
    for (String body : bodies) {
      JsonNode message = JSON.readTree(body);
      if (message.at("/message/type").asText().equals("end-of-call-report")) {
        reports.add(message);
      }
    }
    return reports;
  }

  private static boolean bearerOk(HttpExchange exchange) {
    return ("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
  }

  private static void answer(HttpExchange exchange, boolean ok, String json) throws IOException {
    byte[] body =
        (ok ? json : "{\"error\":\"no\",\"code\":\"unauthorized\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static String hmacHex(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
