package dev.vapiusage.domain.port;

/**
 * Secret keys of this installation, one per purpose, random and the same for every process on the
 * database, so what one server signs another accepts. Implementations are thread-safe.
 */
public interface SigningKeys {

  /** The 32-byte key for the purpose, created on first use. */
  byte[] key(String purpose);
}
