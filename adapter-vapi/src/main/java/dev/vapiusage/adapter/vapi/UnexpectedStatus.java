package dev.vapiusage.adapter.vapi;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;

/**
 * Vapi answered a status that no retry will change (400, 404, …). It is a {@code VAPI_UNAVAILABLE}
 * to callers; the status stays readable so the listing can tell a missing {@code /v2/call} route
 * from other failures.
 */
final class UnexpectedStatus extends UsageException {
  private static final long serialVersionUID = 1L;

  private final int status;

  UnexpectedStatus(int status, String path) {
    super(ErrorCode.VAPI_UNAVAILABLE, "Vapi is unavailable: HTTP " + status + " from GET " + path);
    this.status = status;
  }

  int status() {
    return status;
  }
}
