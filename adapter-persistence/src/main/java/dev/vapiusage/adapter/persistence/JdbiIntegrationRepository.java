package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.ConnectedIntegration;
import dev.vapiusage.domain.DisconnectedIntegration;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.KeyHint;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.SyncState;
import dev.vapiusage.domain.SyncStatus;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.IntegrationRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/** The integrations in table {@code vapi_integration}, one row per user. Thread-safe. */
final class JdbiIntegrationRepository implements IntegrationRepository {
  private static final String COLUMNS =
      "user_id, encrypted_api_key, key_id, key_hint, is_connected, connected_at, last_synced_at,"
          + " last_sync_status, last_sync_error, created_at, updated_at";
  private static final String VALUES =
      ":user, :sealed, :keyId, :hint, :connected, :connectedAt, :lastSyncedAt, :status, :error,"
          + " :createdAt, :updatedAt";

  private static final String UPSERT_POSTGRESQL =
      "INSERT INTO {schema}.vapi_integration ("
          + COLUMNS
          + ") VALUES ("
          + VALUES
          + ")"
          + " ON CONFLICT (user_id) DO UPDATE SET encrypted_api_key = EXCLUDED.encrypted_api_key,"
          + " key_id = EXCLUDED.key_id, key_hint = EXCLUDED.key_hint,"
          + " is_connected = EXCLUDED.is_connected, connected_at = EXCLUDED.connected_at,"
          + " last_synced_at = EXCLUDED.last_synced_at, last_sync_status = EXCLUDED.last_sync_status,"
          + " last_sync_error = EXCLUDED.last_sync_error, created_at = EXCLUDED.created_at,"
          + " updated_at = EXCLUDED.updated_at";
  // H2's MERGE ... KEY updates every listed column of an existing row and inserts otherwise.
  private static final String UPSERT_H2 =
      "MERGE INTO {schema}.vapi_integration ("
          + COLUMNS
          + ") KEY (user_id) VALUES ("
          + VALUES
          + ")";

  private final Jdbi jdbi;
  private final String upsert;
  private final JdbcDataVersions versions;

  JdbiIntegrationRepository(Jdbi jdbi, Dialect dialect, JdbcDataVersions versions) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.upsert = dialect == Dialect.POSTGRESQL ? UPSERT_POSTGRESQL : UPSERT_H2;
    this.versions = Objects.requireNonNull(versions, "versions");
  }

  @Override
  public Optional<Integration> find(UserId userId) {
    return Failures.translate(
        "read an integration",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT "
                                + COLUMNS
                                + " FROM {schema}.vapi_integration WHERE user_id = :user")
                        .bind("user", userId.value())
                        .map((rs, ctx) -> toDomain(rs))
                        .findOne()));
  }

  @Override
  public void save(Integration integration) {
    Failures.run(
        "save an integration",
        () ->
            jdbi.useTransaction(
                handle -> {
                  Update update = handle.createUpdate(upsert);
                  bind(update, integration);
                  update.execute();
                  versions.raise(handle.getConnection(), integration.userId());
                }));
  }

  @Override
  public void saveSync(UserId userId, SyncState sync, Instant now) {
    Failures.run(
        "save a sync state",
        () ->
            jdbi.useTransaction(
                handle -> {
                  int updated =
                      handle
                          .createUpdate(
                              "UPDATE {schema}.vapi_integration SET last_synced_at = :lastSyncedAt,"
                                  + " last_sync_status = :status, last_sync_error = :error,"
                                  + " updated_at = :updatedAt WHERE user_id = :user")
                          .bind("user", userId.value())
                          .bind("lastSyncedAt", Instants.arg(sync.lastSyncedAt().orElse(null)))
                          .bind("status", sync.lastStatus().map(SyncStatus::code).orElse(null))
                          .bind("error", sync.lastError().map(ErrorCode::code).orElse(null))
                          .bind("updatedAt", Instants.arg(now))
                          .execute();
                  if (updated > 0) {
                    versions.raise(handle.getConnection(), userId);
                  }
                }));
  }

  @Override
  public List<UserId> connectedUsers() {
    return Failures.translate(
        "list connected users",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT user_id FROM {schema}.vapi_integration WHERE is_connected ORDER BY user_id")
                        .map((rs, ctx) -> UserId.of(rs.getString(1)))
                        .list()));
  }

  private static void bind(Update update, Integration integration) {
    SyncState sync = integration.sync();
    Optional<SealedKey> key = integration.sealedKey();
    update
        .bind("user", integration.userId().value())
        .bind("sealed", key.map(SealedKey::ciphertext).orElse(null))
        .bind("keyId", key.map(SealedKey::keyId).orElse(null))
        .bind("hint", integration.keyHint().map(KeyHint::value).orElse(null))
        .bind("connected", integration.isConnected())
        .bind("connectedAt", Instants.arg(integration.connectedAt().orElse(null)))
        .bind("lastSyncedAt", Instants.arg(sync.lastSyncedAt().orElse(null)))
        .bind("status", sync.lastStatus().map(SyncStatus::code).orElse(null))
        .bind("error", sync.lastError().map(ErrorCode::code).orElse(null))
        .bind("createdAt", Instants.arg(integration.createdAt()))
        .bind("updatedAt", Instants.arg(integration.updatedAt()));
  }

  private static Integration toDomain(ResultSet rs) throws SQLException {
    UserId userId = UserId.of(rs.getString("user_id"));
    String status = rs.getString("last_sync_status");
    String error = rs.getString("last_sync_error");
    SyncState sync =
        SyncState.restore(
            Instants.read(rs, "last_synced_at"),
            status == null ? null : SyncStatus.fromCode(status),
            error == null ? null : ErrorCode.fromCode(error));
    Instant createdAt = Instants.read(rs, "created_at");
    Instant updatedAt = Instants.read(rs, "updated_at");
    if (!rs.getBoolean("is_connected")) {
      return new DisconnectedIntegration(userId, sync, createdAt, updatedAt);
    }
    return new ConnectedIntegration(
        userId,
        new SealedKey(rs.getString("key_id"), rs.getString("encrypted_api_key")),
        new KeyHint(rs.getString("key_hint")),
        Instants.read(rs, "connected_at"),
        sync,
        createdAt,
        updatedAt);
  }
}
