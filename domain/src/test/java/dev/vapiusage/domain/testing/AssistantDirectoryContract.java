package dev.vapiusage.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.port.AssistantDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AssistantDirectory} does; subclasses supply a directory over an account that
 * starts without assistants and accepts one key.
 */
public abstract class AssistantDirectoryContract {
  private static final Instant BASE = Instant.parse("2025-03-01T00:00:00Z");

  /** More than one page of {@code GET /assistant} (1,000), so that listing them takes several. */
  protected static final int MORE_THAN_A_PAGE = 1_234;

  /** The directory under test; it accepts {@link #acceptedKey()} and no other. */
  protected abstract AssistantDirectory directory();

  protected abstract ApiKey acceptedKey();

  /** Saves an assistant ({@code name} may be null) in the account; returns it as listed. */
  protected abstract Assistant addAssistant(String name, Instant createdAt);

  /** Deletes an assistant from the account. */
  protected abstract void deleteAssistant(String id);

  @Test
  void assistants_ofAnAccountWithoutAssistants_isEmpty() {
    assertThat(directory().assistants(acceptedKey())).isEmpty();
  }

  @Test
  void assistants_listsEachAssistantOnce_withItsNameOrNullWithoutOne() {
    Assistant desk = addAssistant("Front desk", BASE);
    Assistant unnamed = addAssistant(null, BASE.plusSeconds(60));
    Assistant sales = addAssistant("Sales — Zürich", BASE.plusSeconds(120));

    List<Assistant> listed = directory().assistants(acceptedKey());

    assertThat(listed).containsExactlyInAnyOrder(desk, unnamed, sales);
    assertThat(listed)
        .filteredOn(a -> a.id().equals(unnamed.id()))
        .extracting(Assistant::name)
        .containsOnlyNulls();
  }

  @Test
  void assistants_leavesOutDeletedAssistants() {
    Assistant kept = addAssistant("Kept", BASE);
    Assistant deleted = addAssistant("Deleted", BASE.plusSeconds(1));

    deleteAssistant(deleted.id());

    assertThat(directory().assistants(acceptedKey())).containsExactly(kept);
  }

  @Test
  void assistants_ofMoreThanAPage_listsEveryOneExactlyOnce() {
    List<Assistant> added = new ArrayList<>();
    for (int i = 0; i < MORE_THAN_A_PAGE; i++) {
      // Seven per millisecond, so that pages end in the middle of a millisecond.
      added.add(addAssistant("Assistant " + i, BASE.plusMillis(i / 7)));
    }

    List<Assistant> listed = directory().assistants(acceptedKey());

    assertThat(listed).doesNotHaveDuplicates();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(added);
  }

  @Test
  void assistants_withAnotherKey_isRejectedAsInvalid() {
    addAssistant("Front desk", BASE);

    assertThatThrownBy(() -> directory().assistants(ApiKey.of("sk-not-this-account-0123456789")))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_API_KEY));
  }
}
