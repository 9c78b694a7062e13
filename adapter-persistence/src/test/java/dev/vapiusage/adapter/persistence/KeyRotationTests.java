package dev.vapiusage.adapter.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rotate-key over 1,000 stored keys, interrupted at random points and run again; subclasses supply
 * the database. An interruption is an exception thrown after a key's row was committed, which
 * leaves the database exactly as a kill at that point would (see {@link KeyRotationKillTest} for a
 * real kill of another process).
 */
abstract class KeyRotationTests {
  static final String OLD = KeyVaultTest.SECRET;
  static final String NEW = KeyVaultTest.OTHER_SECRET;
  private static final int KEYS = 1_000;

  private Database database;

  protected abstract Database openFreshDatabase();

  @BeforeEach
  void open() {
    database = openFreshDatabase();
  }

  @AfterEach
  void close() {
    database.close();
  }

  /**
   * Connects {@code count} users with random keys sealed under {@code secret}; returns the keys.
   */
  static Map<UserId, ApiKey> connectUsers(
      Database database, String secret, int count, Random random) {
    KeyVault vault = database.keyVault(secret);
    Map<UserId, ApiKey> keys = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      UserId user = UserId.of(String.format("rotate-%04d-%d", i, random.nextInt(1000)));
      ApiKey key =
          ApiKey.of(
              "sk-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
      database
          .integrations()
          .save(
              Integration.connect(
                  Optional.empty(), user, vault.seal(user, key), key.hint(), Instant.now()));
      keys.put(user, key);
    }
    return keys;
  }

  /**
   * Checks that the rotation finished: every key on the new secret, the old one opening nothing.
   */
  static void assertRotated(Database database, Map<UserId, ApiKey> keys, KeyVault oldVault) {
    KeyVault newVault = database.keyVault(NEW);
    for (Map.Entry<UserId, ApiKey> entry : keys.entrySet()) {
      SealedKey stored =
          database.integrations().find(entry.getKey()).orElseThrow().sealedKey().orElseThrow();
      assertThat(newVault.open(entry.getKey(), stored)).isEqualTo(entry.getValue());
      assertThatThrownBy(() -> oldVault.open(entry.getKey(), stored))
          .isInstanceOf(UsageException.class);
    }
    assertThatThrownBy(() -> database.keyVault(OLD))
        .isInstanceOfSatisfying(
            EncryptionKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(EncryptionKeyException.Reason.WRONG_KEY));
    int masterKeys =
        Jdbi.create(database.dataSource())
            .withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM vault_key").mapTo(Integer.class).one());
    assertThat(masterKeys).as("only the new master key's record is left").isEqualTo(1);
  }

  @Test
  void rotateKey_killedAtRandomPointsAndRunAgain_endsWithEveryKeyOnTheNewSecret() {
    Random random = new Random(42);
    Map<UserId, ApiKey> keys = connectUsers(database, OLD, KEYS, random);
    KeyVault oldVault = database.keyVault(OLD);

    // Kill points in the remaining work of each run; the last one falls after the final key,
    // before the rotation is marked finished.
    int resealedSoFar = 0;
    for (int kill :
        List.of(1 + random.nextInt(300), 1 + random.nextInt(300), 1 + random.nextInt(200))) {
      assertThatThrownBy(() -> database.rotateKey(OLD, NEW, stopAfter(kill)))
          .isInstanceOf(Killed.class);
      resealedSoFar += kill;
      assertThat(countOnOldKey(database, oldVault)).isEqualTo(KEYS - resealedSoFar);
      // Mid-rotation the old secret still starts a server; the new one is told to finish first.
      assertThat(database.keyVault(OLD)).isNotNull();
      assertThatThrownBy(() -> database.keyVault(NEW))
          .isInstanceOfSatisfying(
              EncryptionKeyException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(EncryptionKeyException.Reason.ROTATION_UNFINISHED));
    }
    int remaining = KEYS - resealedSoFar;
    assertThatThrownBy(() -> database.rotateKey(OLD, NEW, stopAfter(remaining)))
        .isInstanceOf(Killed.class);
    assertThat(countOnOldKey(database, oldVault)).isZero();

    KeyRotation last = database.rotateKey(OLD, NEW);
    assertThat(last).isEqualTo(new KeyRotation(0, KEYS));
    assertRotated(database, keys, oldVault);
    assertThat(database.rotateKey(OLD, NEW))
        .as("running it once more changes nothing")
        .isEqualTo(new KeyRotation(0, KEYS));
  }

  @Test
  void rotateKey_uninterrupted_resealsEveryKey() {
    Map<UserId, ApiKey> keys = connectUsers(database, OLD, 50, new Random(7));
    KeyVault oldVault = database.keyVault(OLD);
    assertThat(database.rotateKey(OLD, NEW)).isEqualTo(new KeyRotation(50, 50));
    assertRotated(database, keys, oldVault);
  }

  @Test
  void rotateKey_resealsTheWebhookSecrets_too() {
    Map<UserId, ApiKey> keys = connectUsers(database, OLD, 5, new Random(9));
    KeyVault oldVault = database.keyVault(OLD);
    Map<UserId, ApiKey> secrets = new LinkedHashMap<>();
    int n = 0;
    for (UserId user : keys.keySet()) {
      ApiKey secret = ApiKey.of("whsec-" + user.value());
      database.webhookEndpoints().endpointOf(user, String.format("%032x", n++));
      database.webhookEndpoints().replaceSecret(user, oldVault.seal(user, secret));
      secrets.put(user, secret);
    }

    assertThat(database.rotateKey(OLD, NEW)).isEqualTo(new KeyRotation(10, 10));

    KeyVault newVault = database.keyVault(NEW);
    for (Map.Entry<UserId, ApiKey> entry : secrets.entrySet()) {
      SealedKey stored =
          database
              .webhookEndpoints()
              .endpointOf(entry.getKey(), "ffffffffffffffffffffffffffffffff")
              .secret()
              .orElseThrow();
      assertThat(newVault.open(entry.getKey(), stored)).isEqualTo(entry.getValue());
    }
    assertRotated(database, keys, oldVault);
  }

  @Test
  void rotateKey_withAWrongOldSecret_changesNothing() {
    connectUsers(database, OLD, 5, new Random(8));
    assertThatThrownBy(() -> database.rotateKey("not the old secret, but long enough", NEW))
        .isInstanceOfSatisfying(
            EncryptionKeyException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(EncryptionKeyException.Reason.WRONG_KEY);
              assertThat(e.getMessage()).startsWith("OLD_ENCRYPTION_KEY");
            });
    assertThat(database.keyVault(OLD)).isNotNull();
    assertThatThrownBy(() -> database.rotateKey(OLD, "short"))
        .isInstanceOfSatisfying(
            EncryptionKeyException.class,
            e -> assertThat(e.getMessage()).startsWith("ENCRYPTION_KEY is too short"));
    assertThatThrownBy(() -> database.rotateKey(OLD, OLD))
        .isInstanceOfSatisfying(
            EncryptionKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(EncryptionKeyException.Reason.SAME_KEY));
  }

  @Test
  void rotateKey_resumedTowardsAnotherSecret_isRefused() {
    connectUsers(database, OLD, 10, new Random(9));
    assertThatThrownBy(() -> database.rotateKey(OLD, NEW, stopAfter(3))).isInstanceOf(Killed.class);
    assertThatThrownBy(() -> database.rotateKey(OLD, "a third secret that is also long enough"))
        .isInstanceOfSatisfying(
            EncryptionKeyException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(EncryptionKeyException.Reason.ROTATION_UNFINISHED));
    assertThat(database.rotateKey(OLD, NEW)).isEqualTo(new KeyRotation(7, 10));
  }

  static int countOnOldKey(Database database, KeyVault oldVault) {
    String oldKeyId = ((AesGcmKeyVault) oldVault).sealingKeyId();
    return Jdbi.create(database.dataSource())
        .withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM vapi_integration WHERE key_id = :k")
                    .bind("k", oldKeyId)
                    .mapTo(Integer.class)
                    .one());
  }

  private static java.util.function.IntConsumer stopAfter(int keys) {
    return resealed -> {
      if (resealed == keys) {
        throw new Killed();
      }
    };
  }

  /** Stands for the process dying right after a committed row. */
  static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Killed() {
      super("killed", null, false, false);
    }
  }
}
