package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.WebhookEndpoints;
import dev.vapiusage.domain.push.WebhookEndpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The webhook endpoints in table {@code webhook_endpoint}, one row per user; the secret is stored
 * sealed, as the Vapi keys are. Thread-safe.
 */
final class JdbiWebhookEndpoints implements WebhookEndpoints {
  private static final String COLUMNS = "user_id, webhook_id, encrypted_secret, key_id";
  private static final String INSERT_POSTGRESQL =
      "INSERT INTO {schema}.webhook_endpoint (user_id, webhook_id, created_at)"
          + " VALUES (:user, :webhookId, :now) ON CONFLICT (user_id) DO NOTHING";
  private static final String INSERT_H2 =
      "INSERT INTO {schema}.webhook_endpoint (user_id, webhook_id, created_at)"
          + " SELECT :user, :webhookId, :now FROM (VALUES (1)) WHERE NOT EXISTS"
          + " (SELECT 1 FROM {schema}.webhook_endpoint WHERE user_id = :user)";
  private static final String DUPLICATE_KEY = "23505";

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;

  JdbiWebhookEndpoints(Jdbi jdbi, Dialect dialect, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public WebhookEndpoint endpointOf(UserId userId, String newWebhookId) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(newWebhookId, "newWebhookId");
    return Failures.translate(
        "store a webhook endpoint",
        () ->
            jdbi.withHandle(
                handle -> {
                  Optional<WebhookEndpoint> stored = findOf(handle, userId);
                  if (stored.isPresent()) {
                    return stored.get();
                  }
                  insert(handle, userId, newWebhookId);
                  // Of two processes racing, the second's insert did nothing: both read the
                  // first's.
                  return findOf(handle, userId).orElseThrow();
                }));
  }

  private void insert(Handle handle, UserId userId, String webhookId) {
    try {
      handle
          .createUpdate(dialect == Dialect.POSTGRESQL ? INSERT_POSTGRESQL : INSERT_H2)
          .bind("user", userId.value())
          .bind("webhookId", webhookId)
          .bind("now", Instants.arg(clock.instant()))
          .execute();
    } catch (RuntimeException e) {
      // H2 has no ON CONFLICT: a racing insert of the same user fails, and the row is there.
      if (dialect != Dialect.H2 || !DUPLICATE_KEY.equals(Failures.sqlState(e))) {
        throw e;
      }
    }
  }

  @Override
  public Optional<WebhookEndpoint> find(String webhookId) {
    Objects.requireNonNull(webhookId, "webhookId");
    return Failures.translate(
        "read a webhook endpoint",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT "
                                + COLUMNS
                                + " FROM {schema}.webhook_endpoint WHERE webhook_id = :webhookId")
                        .bind("webhookId", webhookId)
                        .map((rs, ctx) -> toDomain(rs))
                        .findOne()));
  }

  @Override
  public void replaceSecret(UserId userId, SealedKey secret) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(secret, "secret");
    int updated =
        Failures.translate(
            "store a webhook secret",
            () ->
                jdbi.withHandle(
                    handle ->
                        handle
                            .createUpdate(
                                "UPDATE {schema}.webhook_endpoint SET encrypted_secret = :sealed,"
                                    + " key_id = :keyId WHERE user_id = :user")
                            .bind("sealed", secret.ciphertext())
                            .bind("keyId", secret.keyId())
                            .bind("user", userId.value())
                            .execute()));
    if (updated == 0) {
      // A secret without an endpoint would be lost: the caller asks for the endpoint first.
      throw new UsageException(ErrorCode.NOT_FOUND, "The user has no webhook endpoint yet");
    }
  }

  private static Optional<WebhookEndpoint> findOf(Handle handle, UserId userId) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM {schema}.webhook_endpoint WHERE user_id = :user")
        .bind("user", userId.value())
        .map((rs, ctx) -> toDomain(rs))
        .findOne();
  }

  private static WebhookEndpoint toDomain(ResultSet rs) throws SQLException {
    String sealed = rs.getString("encrypted_secret");
    return new WebhookEndpoint(
        UserId.of(rs.getString("user_id")),
        rs.getString("webhook_id"),
        sealed == null
            ? Optional.empty()
            : Optional.of(new SealedKey(rs.getString("key_id"), sealed)));
  }
}
