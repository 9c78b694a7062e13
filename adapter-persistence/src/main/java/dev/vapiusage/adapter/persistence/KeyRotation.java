package dev.vapiusage.adapter.persistence;

/**
 * What {@code rotate-key} did: how many stored Vapi keys this run re-sealed, and how many are now
 * sealed under the new key in all (more than re-sealed when an interrupted run is finished).
 */
public record KeyRotation(int resealed, int onNewKey) {
  public KeyRotation {
    if (resealed < 0 || onNewKey < resealed) {
      throw new IllegalArgumentException("0 <= resealed <= onNewKey");
    }
  }
}
