package dev.vapiusage.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {

  @Test
  void everyErrorCode_hasTheContractsStatus() {
    Map<ErrorCode, Integer> expected = new EnumMap<>(ErrorCode.class);
    expected.put(ErrorCode.INVALID_REQUEST, 400);
    expected.put(ErrorCode.INVALID_API_KEY, 400);
    expected.put(ErrorCode.INVALID_DATE, 400);
    expected.put(ErrorCode.INVALID_RANGE, 400);
    expected.put(ErrorCode.RANGE_TOO_LARGE, 400);
    expected.put(ErrorCode.INVALID_TIMEZONE, 400);
    expected.put(ErrorCode.INVALID_CURSOR, 400);
    expected.put(ErrorCode.UNAUTHORIZED, 401);
    expected.put(ErrorCode.INVALID_SIGNATURE, 401);
    expected.put(ErrorCode.FORBIDDEN, 403);
    expected.put(ErrorCode.NOT_FOUND, 404);
    expected.put(ErrorCode.NOT_CONNECTED, 409);
    expected.put(ErrorCode.SYNC_IN_PROGRESS, 409);
    expected.put(ErrorCode.PAYLOAD_TOO_LARGE, 413);
    expected.put(ErrorCode.RATE_LIMITED, 429);
    expected.put(ErrorCode.VAPI_UNAVAILABLE, 502);
    expected.put(ErrorCode.SYNC_FAILED, 502);
    expected.put(ErrorCode.INTERNAL_ERROR, 500);

    assertThat(expected).hasSize(ErrorCode.values().length);
    expected.forEach(
        (code, status) -> assertThat(HttpErrors.status(code)).as(code.code()).isEqualTo(status));
  }

  @Test
  void statusesJettyOrJavalinChoose_getACodeAndAFixedSentence() {
    assertThat(HttpErrors.codeForStatus(400)).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(HttpErrors.codeForStatus(404)).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(HttpErrors.codeForStatus(405)).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(HttpErrors.codeForStatus(413)).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(HttpErrors.codeForStatus(431)).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(HttpErrors.codeForStatus(503)).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(HttpErrors.messageForStatus(500)).isEqualTo("An unexpected error occurred");
  }
}
