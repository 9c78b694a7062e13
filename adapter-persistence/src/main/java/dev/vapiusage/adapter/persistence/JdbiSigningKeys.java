package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.port.SigningKeys;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Signing keys in table {@code signing_key}: the first process to need a purpose's key inserts a
 * random one, a process that loses that race reads the winner's, and each process keeps what it
 * read (keys never change). The key never appears in a message. Thread-safe.
 */
final class JdbiSigningKeys implements SigningKeys {
  private static final int KEY_BYTES = 32;
  private static final int MAX_PURPOSE = 64;
  private static final String DUPLICATE_KEY = "23505";
  private static final String READ = "SELECT secret FROM {schema}.signing_key WHERE purpose = ?";
  private static final String INSERT =
      "INSERT INTO {schema}.signing_key (purpose, secret, created_at) VALUES (?, ?, ?)";

  private final DataSource dataSource;
  private final Tables tables;
  private final SecureRandom random;
  private final Clock clock;
  private final Map<String, byte[]> known = new ConcurrentHashMap<>();

  JdbiSigningKeys(DataSource dataSource, Tables tables, SecureRandom random, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public byte[] key(String purpose) {
    Objects.requireNonNull(purpose, "purpose");
    if (purpose.isEmpty() || purpose.length() > MAX_PURPOSE) {
      throw new IllegalArgumentException("A purpose has 1 to " + MAX_PURPOSE + " characters");
    }
    byte[] key =
        known.computeIfAbsent(
            purpose, p -> Failures.translate("read a signing key", () -> readOrCreate(p)));
    return key.clone();
  }

  private byte[] readOrCreate(String purpose) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      byte[] stored = read(connection, purpose);
      if (stored != null) {
        return stored;
      }
      byte[] fresh = new byte[KEY_BYTES];
      random.nextBytes(fresh);
      try (PreparedStatement statement = connection.prepareStatement(tables.sql(INSERT))) {
        statement.setString(1, purpose);
        statement.setString(2, Base64.getEncoder().encodeToString(fresh));
        statement.setObject(2 + 1, Instants.toDb(clock.instant()));
        statement.executeUpdate();
        return fresh;
      } catch (SQLException e) {
        // Another process created it first: its key is the one.
        if (!DUPLICATE_KEY.equals(e.getSQLState())) {
          throw e;
        }
        return read(connection, purpose);
      }
    }
  }

  private byte[] read(Connection connection, String purpose) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(tables.sql(READ))) {
      statement.setString(1, purpose);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Base64.getDecoder().decode(rs.getString(1)) : null;
      }
    }
  }
}
