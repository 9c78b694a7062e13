package dev.vapiusage.adapter.http;

import dev.vapiusage.application.SyncResult;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import java.nio.charset.StandardCharsets;

/**
 * The contract's JSON objects as text, for other faces of the product (the command line's {@code
 * sync} prints the same objects as {@code POST /api/vapi/sync}).
 */
public final class ContractJson {
  private ContractJson() {}

  /** The sync result object. */
  public static String syncResult(SyncResult result) {
    return new String(Json.bytes(Views.Sync.of(result)), StandardCharsets.UTF_8);
  }

  /** The error object; an internal failure shows a generic sentence, never its detail. */
  public static String error(UsageException e) {
    String message =
        e.code() == ErrorCode.INTERNAL_ERROR ? HttpErrors.INTERNAL_MESSAGE : e.getMessage();
    return new String(HttpErrors.body(e.code(), message), StandardCharsets.UTF_8);
  }
}
