package dev.vapiusage.domain.testing;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.port.SyncCursors;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link SyncCursors} does; subclasses supply the implementation. */
public abstract class SyncCursorsContract {
  protected static final Instant T0 = Instant.parse("2024-02-01T10:00:00.250Z");

  protected abstract SyncCursors cursors();

  @Test
  void cursor_startsAbsentAndNeverMovesBackwards() {
    UserId user = anyUserId();
    assertThat(cursors().cursor(user)).isEmpty();
    cursors().advanceCursor(user, T0);
    cursors().advanceCursor(user, T0.minusSeconds(60));
    assertThat(cursors().cursor(user)).contains(T0);
    cursors().advanceCursor(user, T0.plusSeconds(60));
    assertThat(cursors().cursor(user)).contains(T0.plusSeconds(60));
  }
}
