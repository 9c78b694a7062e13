package dev.vapiusage.application;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static dev.vapiusage.domain.testing.TestData.endedCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.UserId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchUsageTest {
  private final UseCaseFixture fixture = new UseCaseFixture();
  private final WatchUsage watch = new WatchUsage(fixture.versions);

  @Test
  void givenAStoredCall_versions_changeForItsUserOnly() {
    UserId caller = anyUserId();
    UserId other = anyUserId();
    Map<UserId, Long> before = watch.versions(List.of(caller, other));

    fixture.usage.store(caller, List.of(endedCall(UseCaseFixture.NOW, 60, "0.10")));
    Map<UserId, Long> after = watch.versions(List.of(caller, other));

    assertThat(after.get(caller)).isNotEqualTo(before.get(caller));
    assertThat(after.get(other)).isEqualTo(before.get(other));
  }

  @Test
  void repeatedUsers_versions_answerOnceEach() {
    UserId user = anyUserId();

    assertThat(watch.versions(List.of(user, user))).containsOnlyKeys(user);
  }

  @Test
  void noUsers_versions_answerNothing() {
    assertThat(watch.versions(List.of())).isEmpty();
  }
}
