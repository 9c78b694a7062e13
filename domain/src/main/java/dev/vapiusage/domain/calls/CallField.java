package dev.vapiusage.domain.calls;

/** The stored call fields the list, the export and the breakdowns can be filtered on. */
public enum CallField {
  ASSISTANT_ID("assistantId"),
  TYPE("type"),
  ENDED_REASON("endedReason"),
  STATUS("status");

  private final String queryName;

  CallField(String queryName) {
    this.queryName = queryName;
  }

  /** The name of the field in the contract's query strings and JSON. */
  public String queryName() {
    return queryName;
  }
}
