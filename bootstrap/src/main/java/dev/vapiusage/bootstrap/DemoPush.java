package dev.vapiusage.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vapiusage.simulator.Courier;
import dev.vapiusage.simulator.LiveCalls;
import dev.vapiusage.simulator.VapiSimulator;
import dev.vapiusage.simulator.WebhookCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Points the demo's simulated Vapi at user {@code demo}'s webhook, as a user does in Vapi's
 * dashboard: the webhook URL and a new webhook secret come from the server's own API over loopback
 * ({@code GET /api/vapi/connect}, {@code POST /api/vapi/webhook/secret}, with the demo's token);
 * then calls happening now are pushed there, HMAC-signed.
 */
final class DemoPush {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private DemoPush() {}

  /**
   * Starts a new live call every {@code every}, delivered to the webhook of the user whose {@code
   * token} is given, on the server at {@code serverBase} (a loopback URL, e.g. {@code
   * http://localhost:7070}).
   */
  static LiveCalls start(VapiSimulator simulator, URI serverBase, String token, Duration every)
      throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    JsonNode status = call(client, serverBase, "GET", "/api/vapi/connect", token);
    JsonNode webhookUrl = status.get("webhookUrl");
    if (webhookUrl == null || !webhookUrl.isTextual()) {
      throw new IllegalStateException("GET /api/vapi/connect gave no webhookUrl");
    }
    JsonNode secret =
        call(client, serverBase, "POST", "/api/vapi/webhook/secret", token).get("secret");
    if (secret == null || !secret.isTextual()) {
      throw new IllegalStateException("POST /api/vapi/webhook/secret gave no secret");
    }
    // The server's public URL may name a host this machine cannot reach: its path is what counts.
    URI target = serverBase.resolve(URI.create(webhookUrl.asText()).getRawPath());
    Courier courier = simulator.serverUrl(target, WebhookCredential.hmac(secret.asText()));
    return simulator.liveCalls(courier).start(every);
  }

  private static JsonNode call(
      HttpClient client, URI serverBase, String method, String path, String token)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(serverBase.resolve(path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json")
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      // The body is an error object ({error, code}); it never holds a secret.
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
