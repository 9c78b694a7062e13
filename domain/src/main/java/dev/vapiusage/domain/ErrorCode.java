package dev.vapiusage.domain;

import java.util.Locale;

/**
 * The stable machine codes of the contract's errors; adapters map each one to a transport status.
 */
public enum ErrorCode {
  INVALID_REQUEST,
  INVALID_API_KEY,
  VAPI_UNAVAILABLE,
  NOT_CONNECTED,
  INVALID_DATE,
  INVALID_RANGE,
  RANGE_TOO_LARGE,
  INVALID_TIMEZONE,
  SYNC_IN_PROGRESS,
  SYNC_FAILED,
  UNAUTHORIZED,
  FORBIDDEN,
  NOT_FOUND,
  INVALID_CURSOR,
  INVALID_SIGNATURE,
  PAYLOAD_TOO_LARGE,
  RATE_LIMITED,
  INTERNAL_ERROR;

  /** The code as the contract spells it, e.g. {@code invalid_api_key}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The enum constant for a contract spelling; {@link #INTERNAL_ERROR} for an unknown one. */
  public static ErrorCode fromCode(String code) {
    for (ErrorCode value : values()) {
      if (value.code().equals(code)) {
        return value;
      }
    }
    return INTERNAL_ERROR;
  }
}
