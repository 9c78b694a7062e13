package dev.vapiusage.domain;

/** What storing a batch of calls did: calls received, and calls that were new or changed. */
public record StoreResult(int received, int changed) {
  public static final StoreResult NOTHING = new StoreResult(0, 0);

  public StoreResult {
    if (received < 0 || changed < 0 || changed > received) {
      throw new IllegalArgumentException("0 <= changed <= received");
    }
  }
}
