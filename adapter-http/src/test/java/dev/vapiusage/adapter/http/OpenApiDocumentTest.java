package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vapiusage.domain.testing.TestData;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {
  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode document() throws Exception {
    return Json.parse(OperationsRoutes.openApiDocument());
  }

  private static Set<String> documentedRoutes(JsonNode document) {
    Set<String> routes = new TreeSet<>();
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (HTTP_METHODS.contains(method)) {
                  routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
              });
    }
    return routes;
  }

  private static Set<String> serverRoutes() {
    Set<String> routes = new TreeSet<>();
    for (ParsedEndpoint parsed :
        server.server.javalin().unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
      // Every GET has a HEAD twin (see RouteSet), which the document leaves implicit.
      if (parsed.getEndpoint().getMethod().isHttpMethod()
          && parsed.getEndpoint().getMethod() != HandlerType.HEAD) {
        routes.add(parsed.getEndpoint().getMethod().name() + " " + parsed.getEndpoint().getPath());
      }
    }
    return routes;
  }

  @Test
  void everyDocumentedRoute_existsOnTheServer_andEveryServerRouteIsDocumented() throws Exception {
    Set<String> documented = documentedRoutes(document());

    assertThat(documented).isEqualTo(serverRoutes());
    assertThat(documented)
        .contains(
            "GET /api/vapi/connect",
            "POST /api/vapi/connect",
            "DELETE /api/vapi/connect",
            "GET /api/vapi/metrics",
            "POST /api/vapi/sync",
            "GET /api/vapi/usage",
            "GET /api/vapi/usage/export",
            "GET /api/vapi/calls",
            "GET /api/vapi/calls/{id}",
            "GET /api/vapi/calls/export",
            "POST /api/vapi/webhook/secret",
            "POST /api/vapi/webhook/{webhookId}",
            "GET /health",
            "GET /metrics",
            "GET /openapi.json");
  }

  @Test
  void everyGetRoute_hasAHeadTwin_andNothingElseIsUndocumented() {
    Set<String> heads = new TreeSet<>();
    Set<String> gets = new TreeSet<>();
    for (ParsedEndpoint parsed :
        server.server.javalin().unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
      HandlerType method = parsed.getEndpoint().getMethod();
      if (method == HandlerType.HEAD) {
        heads.add(parsed.getEndpoint().getPath());
      } else if (method == HandlerType.GET) {
        gets.add(parsed.getEndpoint().getPath());
      }
    }
    assertThat(heads).isEqualTo(gets);
  }

  @Test
  void everyDocumentedRoute_answersOverHttpWithoutA404Or405() throws Exception {
    // An unknown webhook id is a 404 by design: the route is tried with a connected user's.
    TestServer.User user = server.connectedUser(TestData.anyApiKey());
    String webhookId = server.manageWebhook.endpoint(user.id()).webhookId();
    for (String route : documentedRoutes(document())) {
      String method = route.substring(0, route.indexOf(' '));
      String path =
          route
              .substring(route.indexOf(' ') + 1)
              .replace("{name}", "app.css")
              .replace("{id}", "some-call")
              .replace("{webhookId}", webhookId);

      TestServer.Response response = server.send(method, path, null, null);

      assertThat(response.status()).as(route).isNotIn(404, 405).isLessThan(500);
    }
  }

  @Test
  void theServedDocument_isOpenApi3_withEveryOperationAnsweringAndReferencingOnlyDefinedSchemas()
      throws Exception {
    TestServer.Response response = server.get("/openapi.json", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonNode served = response.json();
    assertThat(served).isEqualTo(document());
    assertThat(served.get("openapi").textValue()).startsWith("3.0");
    assertThat(served.at("/info/title").isTextual()).isTrue();
    Set<String> schemas = new TreeSet<>();
    served
        .at("/components/schemas")
        .fieldNames()
        .forEachRemaining(name -> schemas.add("#/components/schemas/" + name));
    served
        .at("/components/parameters")
        .fieldNames()
        .forEachRemaining(name -> schemas.add("#/components/parameters/" + name));
    assertThat(references(served, new TreeSet<>())).isSubsetOf(schemas);
    served
        .get("paths")
        .forEach(
            item ->
                item.forEach(
                    operation -> assertThat(operation.get("responses").size()).isPositive()));
  }

  private static Set<String> references(JsonNode node, Set<String> found) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              field -> {
                if (field.getKey().equals("$ref")) {
                  found.add(field.getValue().textValue());
                } else {
                  references(field.getValue(), found);
                }
              });
    } else if (node.isArray()) {
      node.forEach(element -> references(element, found));
    }
    return found;
  }
}
