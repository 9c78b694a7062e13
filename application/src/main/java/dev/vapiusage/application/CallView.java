package dev.vapiusage.application;

import dev.vapiusage.domain.CallRecord;
import java.util.Objects;

/**
 * A stored call as the calls list, the export and the detail show it: with its assistant's name
 * (null when unknown or deleted) and whether its cost is final.
 */
public record CallView(CallRecord call, String assistantName, boolean isFinal) {
  public CallView {
    Objects.requireNonNull(call, "call");
  }
}
