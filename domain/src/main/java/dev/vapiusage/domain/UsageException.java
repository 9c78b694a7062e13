package dev.vapiusage.domain;

import java.util.Objects;

/**
 * The one unchecked exception root of vapi-usage: every failure a caller can act on carries a
 * stable {@link ErrorCode}. Messages are written for a person and never contain a secret.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public UsageException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public UsageException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  public static UsageException invalidRequest(String message) {
    return new UsageException(ErrorCode.INVALID_REQUEST, message);
  }

  public static UsageException invalidApiKey() {
    return new UsageException(ErrorCode.INVALID_API_KEY, "Invalid API key");
  }

  public static UsageException vapiUnavailable(String detail) {
    return new UsageException(ErrorCode.VAPI_UNAVAILABLE, "Vapi is unavailable: " + detail);
  }

  public static UsageException notConnected() {
    return new UsageException(ErrorCode.NOT_CONNECTED, "No Vapi account is connected");
  }

  public static UsageException syncInProgress() {
    return new UsageException(
        ErrorCode.SYNC_IN_PROGRESS, "A sync of this account is already running");
  }

  public static UsageException syncFailed(String detail, Throwable cause) {
    return new UsageException(ErrorCode.SYNC_FAILED, "Failed to sync metrics: " + detail, cause);
  }
}
