package dev.vapiusage.adapter.persistence;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A separate process for {@link H2SyncLeaseTest}: opens the embedded database in the folder given
 * first and tries to start a sync run for each user given after it, printing "started" or
 * "refused".
 */
final class LeaseProbeProcess {
  private LeaseProbeProcess() {}

  public static void main(String[] args) {
    try (Database database = Database.embedded(Path.of(args[0]), TestDatabases.FAST)) {
      Instant now = Instant.now();
      for (int i = 1; i < args.length; i++) {
        boolean started =
            database
                .syncLease()
                .tryStart(
                    UserId.of(args[i]),
                    SyncKind.RANGE,
                    CallWindow.created(now.minusSeconds(60), now),
                    now,
                    Duration.ofMinutes(5))
                .isPresent();
        System.out.println(args[i] + (started ? " started" : " refused"));
      }
    }
  }
}
