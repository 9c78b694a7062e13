package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.KeyVault;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A key vault for tests: it keeps the clear keys in memory and hands out random handles, so a
 * sealed key shows nothing of the key and opens only for its user.
 */
public final class InMemoryKeyVault implements KeyVault {
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(UserId userId, ApiKey key) {}

  @Override
  public SealedKey seal(UserId userId, ApiKey apiKey) {
    String handle =
        Base64.getEncoder()
            .encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    entries.put(handle, new Entry(userId, apiKey));
    return new SealedKey("memory", handle);
  }

  @Override
  public ApiKey open(UserId userId, SealedKey sealedKey) {
    Entry entry = entries.get(sealedKey.ciphertext());
    if (entry == null || !entry.userId().equals(userId)) {
      throw new UsageException(ErrorCode.INTERNAL_ERROR, "The stored Vapi key cannot be opened");
    }
    return entry.key();
  }
}
