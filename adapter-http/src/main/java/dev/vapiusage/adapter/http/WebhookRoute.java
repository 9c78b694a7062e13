package dev.vapiusage.adapter.http;

import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.AcceptedMessage;
import dev.vapiusage.application.InvalidSignatureException;
import dev.vapiusage.application.ServerMessageDelivery;
import dev.vapiusage.domain.UsageException;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /api/vapi/webhook/{webhookId}}, where Vapi delivers a user's server messages. It
 * takes no session, token or CSRF check: the use case verifies the webhook secret. The body's exact
 * bytes (up to 1 MiB) go to the use case, since the signature covers them as sent.
 */
final class WebhookRoute {
  static final String PATH = "/api/vapi/webhook/{webhookId}";

  /** The path's fixed part: the server's body cap leaves paths under it to this route. */
  static final String PATH_PREFIX = "/api/vapi/webhook/";

  private static final byte[] RECEIVED = Json.bytes(Json.object().put("received", true));

  private final AcceptServerMessage accept;
  private final WebhookMeters meters;

  WebhookRoute(AcceptServerMessage accept, WebhookMeters meters) {
    this.accept = Objects.requireNonNull(accept, "accept");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  void receive(Context ctx) {
    AcceptedMessage accepted;
    try {
      byte[] body = RequestBody.read(ctx, RequestBody.WEBHOOK_MAX_BYTES);
      accepted =
          accept.accept(
              new ServerMessageDelivery(
                  ctx.pathParam("webhookId"),
                  Optional.ofNullable(ctx.header("Authorization")),
                  Optional.ofNullable(ctx.header("x-signature")),
                  Optional.ofNullable(ctx.header("x-timestamp")),
                  body));
    } catch (InvalidSignatureException e) {
      meters.rejected(
          e.reason() == InvalidSignatureException.Reason.STALE_TIMESTAMP
              ? "stale_timestamp"
              : "invalid_signature");
      throw e;
    } catch (UsageException e) {
      switch (e.code()) {
        case NOT_FOUND:
          meters.rejected("not_found");
          break;
        case PAYLOAD_TOO_LARGE:
          meters.rejected("too_large");
          break;
        case INVALID_REQUEST:
          meters.rejected("invalid_request");
          break;
        default:
          // A failure of ours (the database, the vault), not a refused request: Vapi retries it.
          break;
      }
      throw e;
    }
    meters.accepted(accepted);
    ctx.status(200).contentType(Json.CONTENT_TYPE).result(RECEIVED);
  }
}
