package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.TokenHash;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.UserTokenRepository;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Users and token hashes in tables {@code app_user} and {@code api_token}. Thread-safe.
 *
 * <p>Every API request looks its token up by the hash, the table's primary key, and nothing is
 * remembered between requests: a token created by another process works at once, and one deleted by
 * hand stops working at once.
 */
final class JdbiUserTokenRepository implements UserTokenRepository {
  private static final String ADD_USER_POSTGRESQL =
      "INSERT INTO {schema}.app_user (user_id, created_at) VALUES (:user, :now) ON CONFLICT (user_id) DO NOTHING";
  private static final String ADD_USER_H2 =
      "MERGE INTO {schema}.app_user u USING (VALUES (CAST(:user AS VARCHAR(128)))) s(user_id)"
          + " ON u.user_id = s.user_id WHEN NOT MATCHED THEN INSERT (user_id, created_at) VALUES (s.user_id, :now)";

  private final Jdbi jdbi;
  private final String addUser;

  JdbiUserTokenRepository(Jdbi jdbi, Dialect dialect) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.addUser = dialect == Dialect.POSTGRESQL ? ADD_USER_POSTGRESQL : ADD_USER_H2;
  }

  @Override
  public void addToken(UserId userId, TokenHash tokenHash, Instant now) {
    Failures.run(
        "add an API token",
        () ->
            jdbi.useTransaction(
                handle -> {
                  handle
                      .createUpdate(addUser)
                      .bind("user", userId.value())
                      .bind("now", Instants.arg(now))
                      .execute();
                  handle
                      .createUpdate(
                          "INSERT INTO {schema}.api_token (token_hash, user_id, created_at) VALUES (:hash, :user, :now)")
                      .bind("hash", tokenHash.hex())
                      .bind("user", userId.value())
                      .bind("now", Instants.arg(now))
                      .execute();
                }));
  }

  @Override
  public Optional<UserId> findUser(TokenHash tokenHash) {
    return Failures.translate(
        "look up an API token",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT user_id FROM {schema}.api_token WHERE token_hash = :hash")
                        .bind("hash", tokenHash.hex())
                        .map((rs, ctx) -> UserId.of(rs.getString(1)))
                        .findOne()));
  }
}
