package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.SigningKeys;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Signing keys in memory: a random 32-byte key per purpose, made on first use. */
public final class InMemorySigningKeys implements SigningKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, byte[]> byPurpose;

  public InMemorySigningKeys() {
    this(new ConcurrentHashMap<>());
  }

  private InMemorySigningKeys(Map<String, byte[]> byPurpose) {
    this.byPurpose = byPurpose;
  }

  /** Another instance over the same keys, as a second process on one database would see them. */
  public InMemorySigningKeys sharingKeys() {
    return new InMemorySigningKeys(byPurpose);
  }

  @Override
  public byte[] key(String purpose) {
    return byPurpose
        .computeIfAbsent(
            purpose,
            p -> {
              byte[] key = new byte[32];
              RANDOM.nextBytes(key);
              return key;
            })
        .clone();
  }
}
