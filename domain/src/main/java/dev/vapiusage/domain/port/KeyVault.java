package dev.vapiusage.domain.port;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.SealedKey;
import dev.vapiusage.domain.UserId;

/**
 * Seals a user's Vapi key for storage and opens it again. A sealed key opens only for the user it
 * was sealed for. Implementations are thread-safe and never put a key in an exception message.
 */
public interface KeyVault {

  SealedKey seal(UserId userId, ApiKey apiKey);

  /**
   * @throws dev.vapiusage.domain.UsageException when the sealed key was tampered with or is another
   *     user's
   */
  ApiKey open(UserId userId, SealedKey sealedKey);
}
