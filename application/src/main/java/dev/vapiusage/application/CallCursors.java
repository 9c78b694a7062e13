package dev.vapiusage.application;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.calls.CallFilter;
import dev.vapiusage.domain.calls.CallPosition;
import dev.vapiusage.domain.calls.CallQuery;
import dev.vapiusage.domain.port.SigningKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque page cursors: a list position signed for one user and one query with the installation's
 * key, so a cursor this server did not issue (forged, altered, another user's or another query's)
 * is refused with {@code invalid_cursor} and any server on the database accepts the others.
 */
final class CallCursors {
  static final String PURPOSE = "calls-cursor";
  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 16;
  private static final int MAX_ID_BYTES = 1_024;

  private final SigningKeys keys;

  CallCursors(SigningKeys keys) {
    this.keys = keys;
  }

  String issue(UserId userId, CallQuery query, CallPosition position) {
    byte[] id = position.id().getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(1 + Long.BYTES + id.length);
    body.put(VERSION).putLong(micros(position.createdAt())).put(id);
    byte[] mac = mac(userId, query, body.array());
    byte[] token = Arrays.copyOf(body.array(), body.capacity() + MAC_BYTES);
    System.arraycopy(mac, 0, token, body.capacity(), MAC_BYTES);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  CallPosition open(UserId userId, CallQuery query, String cursor) {
    byte[] token;
    try {
      token = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    int bodyLength = token.length - MAC_BYTES;
    if (bodyLength < 1 + Long.BYTES + 1
        || bodyLength > 1 + Long.BYTES + MAX_ID_BYTES
        || token[0] != VERSION) {
      throw invalid();
    }
    byte[] body = Arrays.copyOf(token, bodyLength);
    byte[] expected = Arrays.copyOf(mac(userId, query, body), MAC_BYTES);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(token, bodyLength, token.length))) {
      throw invalid();
    }
    ByteBuffer read = ByteBuffer.wrap(body, 1, bodyLength - 1);
    long micros = read.getLong();
    String id =
        new String(body, 1 + Long.BYTES, bodyLength - 1 - Long.BYTES, StandardCharsets.UTF_8);
    return new CallPosition(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
  }

  private byte[] mac(UserId userId, CallQuery query, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keys.key(PURPOSE), "HmacSHA256"));
      mac.update(scope(userId, query).getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** What a cursor is valid for: the user and the query, filters in a fixed order. */
  private static String scope(UserId userId, CallQuery query) {
    StringBuilder scope = new StringBuilder();
    scope.append(userId.value()).append('\n');
    scope.append(query.range().start()).append('\n');
    scope.append(query.range().end()).append('\n');
    scope.append(query.range().zone().getId()).append('\n');
    query.filters().stream()
        .sorted(Comparator.comparing(CallFilter::field))
        .forEach(
            f ->
                scope
                    .append(f.field().name())
                    .append('=')
                    .append(f.value() == null ? "\u0000" : f.value())
                    .append('\n'));
    return scope.toString();
  }

  // Both databases keep microseconds, so a position read back from them round-trips exactly.
  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static UsageException invalid() {
    return new UsageException(ErrorCode.INVALID_CURSOR, "The cursor is not one this server issued");
  }
}
