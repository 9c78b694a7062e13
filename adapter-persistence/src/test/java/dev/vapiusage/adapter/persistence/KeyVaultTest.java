package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.Integration;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AES-256-GCM key vault: exact round trips, tampering refused, and start-up key checks. */
class KeyVaultTest {
  static final String SECRET = "correct horse battery staple, twice over";
  static final String OTHER_SECRET = "another sentence of at least thirty-two chars";

  private static Database database;
  private static KeyVault vault;

  @BeforeAll
  static void openVault() {
    database = TestDatabases.freshH2();
    vault = database.keyVault(SECRET);
  }

  @AfterAll
  static void closeDatabase() {
    database.close();
  }

  @Test
  void tenThousandRoundTrips_giveBackEveryKeyExactly() {
    Random random = new Random(1);
    List<UserId> users = List.of(anyUserId(), anyUserId(), anyUserId());
    for (int i = 0; i < 10_000; i++) {
      UserId user = users.get(random.nextInt(users.size()));
      ApiKey key = ApiKey.of(randomKey(random));
      assertThat(vault.open(user, vault.seal(user, key)).reveal()).isEqualTo(key.reveal());
    }
  }

  @Test
  void tenThousandOneBitFlips_areAllRefusedWithAClearError() {
    Random random = new Random(2);
    UserId user = anyUserId();
    for (int i = 0; i < 10_000; i++) {
      ApiKey key = ApiKey.of(randomKey(random));
      SealedKey sealed = vault.seal(user, key);
      SealedKey tampered = flipOneBit(sealed, random);
      assertThatThrownBy(() -> vault.open(user, tampered))
          .isInstanceOf(UsageException.class)
          .satisfies(
              e -> {
                assertThat(((UsageException) e).code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                assertThat(e.getMessage())
                    .startsWith("The stored Vapi key cannot be opened")
                    .doesNotContain("\n");
                assertThat(e.getMessage()).doesNotContain(key.reveal());
              });
    }
  }

  @Test
  void aThousandSealsOfOneKey_useAThousandDistinctNonces() {
    UserId user = anyUserId();
    ApiKey key = ApiKey.of("sk-the-same-key-every-time");
    Set<String> nonces = new HashSet<>();
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      SealedKey sealed = vault.seal(user, key);
      byte[] body = Base64.getUrlDecoder().decode(sealed.ciphertext().split(":")[2]);
      nonces.add(
          Base64.getEncoder()
              .encodeToString(java.util.Arrays.copyOf(body, AesGcmKeyVault.NONCE_BYTES)));
      texts.add(sealed.ciphertext());
    }
    assertThat(nonces).hasSize(1_000);
    assertThat(texts).hasSize(1_000);
  }

  @Test
  void anotherUsersSealedKey_isRefused() {
    ApiKey key = ApiKey.of("sk-alice-only");
    SealedKey alices = vault.seal(UserId.of("alice"), key);
    assertThatThrownBy(() -> vault.open(UserId.of("bob"), alices))
        .isInstanceOf(UsageException.class)
        .hasMessageNotContaining(key.reveal());
    assertThat(vault.open(UserId.of("alice"), alices)).isEqualTo(key);
  }

  @Test
  void sealedKeyRelabelledWithAnotherKeyId_isRefused() {
    UserId user = anyUserId();
    SealedKey sealed = vault.seal(user, ApiKey.of("sk-relabel"));
    assertThatThrownBy(() -> vault.open(user, new SealedKey("k000000000000", sealed.ciphertext())))
        .isInstanceOf(UsageException.class);
    String other = sealed.ciphertext().replace(":" + sealed.keyId() + ":", ":k000000000000:");
    assertThatThrownBy(() -> vault.open(user, new SealedKey("k000000000000", other)))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("another ENCRYPTION_KEY");
  }

  @Test
  void sealedText_isVersionedAndNamesItsKeyId() {
    SealedKey sealed = vault.seal(anyUserId(), ApiKey.of("sk-format"));
    assertThat(sealed.ciphertext()).startsWith("v1:" + sealed.keyId() + ":");
    assertThat(sealed.keyId()).matches("k[0-9a-f]{12}");
  }

  @Test
  void shortOrMissingEncryptionKey_isRefusedNamingTheVariable() {
    for (String secret : new String[] {null, "", "x".repeat(31), "é".repeat(31)}) {
      assertThatThrownBy(() -> database.keyVault(secret))
          .isInstanceOfSatisfying(
              EncryptionKeyException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(EncryptionKeyException.Reason.TOO_SHORT);
                assertThat(e.getMessage())
                    .startsWith("ENCRYPTION_KEY")
                    .contains("32")
                    .doesNotContain("\n");
              });
    }
    try (Database fresh = TestDatabases.freshH2()) {
      assertThat(fresh.keyVault("x".repeat(32))).as("32 characters are enough").isNotNull();
    }
  }

  @Test
  void wrongEncryptionKey_stopsStartUpAndChangesNothing() {
    Path folder = TestDatabases.temporaryFolder("vapi-usage-wrong-key-");
    UserId user = anyUserId();
    ApiKey key = ApiKey.of("sk-sealed-with-the-first-secret");
    try (Database first = Database.embedded(folder, TestDatabases.FAST)) {
      KeyVault sealing = first.keyVault(SECRET);
      first
          .integrations()
          .save(
              Integration.connect(
                  Optional.empty(), user, sealing.seal(user, key), key.hint(), Instant.now()));
    }
    String before = snapshot(folder);
    try (Database restarted = Database.embedded(folder, TestDatabases.FAST)) {
      assertThatThrownBy(() -> restarted.keyVault(OTHER_SECRET))
          .isInstanceOfSatisfying(
              EncryptionKeyException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(EncryptionKeyException.Reason.WRONG_KEY);
                assertThat(e.getMessage())
                    .startsWith("ENCRYPTION_KEY")
                    .doesNotContain("\n")
                    .doesNotContain(OTHER_SECRET)
                    .doesNotContain(SECRET);
              });
    }
    assertThat(snapshot(folder)).isEqualTo(before);
    try (Database again = Database.embedded(folder, TestDatabases.FAST)) {
      KeyVault right = again.keyVault(SECRET);
      SealedKey stored = again.integrations().find(user).orElseThrow().sealedKey().orElseThrow();
      assertThat(right.open(user, stored)).isEqualTo(key);
    }
  }

  @Test
  void eachInstallation_hasItsOwnSaltAndKeys() {
    try (Database other = TestDatabases.freshH2()) {
      KeyVault otherVault = other.keyVault(SECRET);
      UserId user = anyUserId();
      SealedKey sealed = vault.seal(user, ApiKey.of("sk-installation"));
      assertThatThrownBy(() -> otherVault.open(user, sealed)).isInstanceOf(UsageException.class);
      assertThat(vaultKeys(other)).doesNotContainAnyElementsOf(vaultKeys(database));
    }
  }

  @Test
  void productionSettings_derive600000IterationsOfPbkdf2WithARandomSalt() {
    try (Database production =
        Database.embedded(TestDatabases.temporaryFolder("vapi-usage-production-"))) {
      KeyVault productionVault = production.keyVault(SECRET);
      UserId user = anyUserId();
      assertThat(productionVault.open(user, productionVault.seal(user, ApiKey.of("sk-prod"))))
          .isEqualTo(ApiKey.of("sk-prod"));
      List<String> rows =
          org.jdbi.v3.core.Jdbi.create(production.dataSource())
              .withHandle(
                  h ->
                      h.createQuery("SELECT kdf, iterations, salt FROM vault_key")
                          .map(
                              (rs, ctx) ->
                                  rs.getString(1)
                                      + "|"
                                      + rs.getInt(2)
                                      + "|"
                                      + Base64.getDecoder().decode(rs.getString(3)).length)
                          .list());
      assertThat(rows).containsExactly("PBKDF2-HMAC-SHA256|600000|32");
    }
  }

  private static List<String> vaultKeys(Database db) {
    return org.jdbi.v3.core.Jdbi.create(db.dataSource())
        .withHandle(
            h -> h.createQuery("SELECT key_id || salt FROM vault_key").mapTo(String.class).list());
  }

  /** Every row of the vault and integration tables, as text. */
  private static String snapshot(Path folder) {
    try (Database db = Database.embedded(folder, TestDatabases.FAST)) {
      return org.jdbi.v3.core.Jdbi.create(db.dataSource())
          .withHandle(
              h -> {
                List<String> rows = new ArrayList<>();
                for (String table : List.of("vault_key", "vault_state", "vapi_integration")) {
                  rows.addAll(
                      h.createQuery("SELECT * FROM " + table + " ORDER BY 1")
                          .mapToMap()
                          .map(row -> table + row)
                          .list());
                }
                return String.join("\n", rows);
              });
    }
  }

  private static String randomKey(Random random) {
    // Every visible ASCII character: what ApiKey admits (a header can carry nothing else).
    StringBuilder visible = new StringBuilder();
    for (char c = 0x21; c <= 0x7e; c++) {
      visible.append(c);
    }
    String alphabet = visible.toString();
    int length = 1 + random.nextInt(120);
    StringBuilder key = new StringBuilder("sk-");
    for (int i = 0; i < length; i++) {
      key.appendCodePoint(
          alphabet.codePointAt(
              alphabet.offsetByCodePoints(
                  0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
    }
    return key.toString();
  }

  /** The sealed key with one bit of its text (or, sometimes, of its key id) flipped. */
  private static SealedKey flipOneBit(SealedKey sealed, Random random) {
    boolean inKeyId = random.nextInt(20) == 0;
    String text = inKeyId ? sealed.keyId() : sealed.ciphertext();
    char[] chars = text.toCharArray();
    int at = random.nextInt(chars.length);
    chars[at] = (char) (chars[at] ^ (1 << random.nextInt(8)));
    String flipped = new String(chars);
    return inKeyId
        ? new SealedKey(flipped, sealed.ciphertext())
        : new SealedKey(sealed.keyId(), flipped);
  }
}
