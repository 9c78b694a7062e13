package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.assistants.AssistantRoster;
import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.DataVersions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AssistantNames} does together with the {@link DataVersions} beside it;
 * subclasses supply the two, sharing one store.
 */
public abstract class AssistantNamesContract {
  private static final Instant T0 = Instant.parse("2024-03-05T12:00:00.123456Z");

  protected abstract AssistantNames names();

  protected abstract DataVersions versions();

  private static AssistantRoster roster(Instant readAt, String... idNamePairs) {
    Map<String, String> names = new java.util.HashMap<>();
    for (int i = 0; i < idNamePairs.length; i += 2) {
      names.put(idNamePairs[i], idNamePairs[i + 1]);
    }
    return new AssistantRoster(names, names.keySet(), readAt);
  }

  @Test
  void givenNothingStored_roster_isNeverRead() {
    assertThat(names().roster(anyUserId())).isEqualTo(AssistantRoster.NEVER_READ);
  }

  @Test
  void replace_storesTheRosterAsGiven() {
    UserId user = anyUserId();
    // A deleted assistant stays known without a name; an unnamed one too.
    AssistantRoster roster =
        new AssistantRoster(
            Map.of("a1", "Front desk", "a2", "Ünïcode ✓"),
            Set.of("a1", "a2", "gone", "unnamed"),
            T0);
    names().replace(user, roster);

    assertThat(names().roster(user)).isEqualTo(roster);
    assertThat(names().roster(user).nameOf("gone")).isNull();
    assertThat(names().roster(anyUserId())).isEqualTo(AssistantRoster.NEVER_READ);
  }

  @Test
  void givenDifferentNames_replace_changesTheDataVersion() {
    UserId user = anyUserId();
    names().replace(user, roster(T0, "a1", "Front desk"));
    long before = versions().current(user);

    names().replace(user, roster(T0.plusSeconds(60), "a1", "Reception"));

    assertThat(versions().current(user)).isNotEqualTo(before);
    assertThat(names().roster(user).nameOf("a1")).isEqualTo("Reception");
  }

  @Test
  void givenANewlyKnownId_replace_changesTheDataVersion() {
    UserId user = anyUserId();
    names().replace(user, roster(T0, "a1", "Front desk"));
    long before = versions().current(user);

    names()
        .replace(user, new AssistantRoster(Map.of("a1", "Front desk"), Set.of("a1", "gone"), T0));

    assertThat(versions().current(user)).isNotEqualTo(before);
  }

  @Test
  void givenTheSameNamesReadAgain_replace_keepsTheDataVersionAndTakesTheReadTime() {
    UserId user = anyUserId();
    names().replace(user, roster(T0, "a1", "Front desk"));
    long before = versions().current(user);

    names().replace(user, roster(T0.plusSeconds(3600), "a1", "Front desk"));

    assertThat(versions().current(user)).isEqualTo(before);
    assertThat(names().roster(user).lastRead()).contains(T0.plusSeconds(3600));
  }

  @Test
  void delete_forgetsTheRosterAndChangesTheDataVersion() {
    UserId user = anyUserId();
    names().replace(user, roster(T0, "a1", "Front desk"));
    long before = versions().current(user);

    names().delete(user);

    assertThat(names().roster(user)).isEqualTo(AssistantRoster.NEVER_READ);
    assertThat(versions().current(user)).isNotEqualTo(before);
  }
}
