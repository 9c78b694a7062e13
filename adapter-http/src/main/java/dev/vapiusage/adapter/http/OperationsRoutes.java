package dev.vapiusage.adapter.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /health}, {@code /metrics} and {@code /openapi.json}: what operators and tools read. */
final class OperationsRoutes {
  static final String HEALTH = "/health";
  static final String METRICS = "/metrics";
  static final String OPENAPI = "/openapi.json";
  static final String OPENAPI_RESOURCE = "/dev/vapiusage/adapter/http/openapi.json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger(OperationsRoutes.class);

  private final BooleanSupplier health;
  private final Supplier<String> prometheusText;
  private final byte[] openApi;

  /** {@code prometheusText} renders {@code /metrics}; null: no metrics exposition (404). */
  OperationsRoutes(BooleanSupplier health, Supplier<String> prometheusText) {
    this.health = Objects.requireNonNull(health, "health");
    this.prometheusText = prometheusText;
    this.openApi = openApiDocument();
  }

  void health(Context ctx) {
    boolean up;
    try {
      up = health.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("The health check failed: {}", e.getClass().getName());
      up = false;
    }
    ObjectNode body = Json.object();
    body.put("status", up ? "ok" : "unavailable");
    ctx.status(up ? 200 : 503).contentType(Json.CONTENT_TYPE).result(Json.bytes(body));
  }

  void metrics(Context ctx) {
    if (prometheusText == null) {
      HttpErrors.write(ctx, 404, HttpErrors.codeForStatus(404), HttpErrors.messageForStatus(404));
      return;
    }
    ctx.status(200)
        .contentType(PROMETHEUS_TEXT)
        .result(prometheusText.get().getBytes(StandardCharsets.UTF_8));
  }

  void openApi(Context ctx) {
    ctx.status(200).contentType(Json.CONTENT_TYPE).result(openApi);
  }

  static byte[] openApiDocument() {
    try (InputStream in = OperationsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("The OpenAPI document is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
