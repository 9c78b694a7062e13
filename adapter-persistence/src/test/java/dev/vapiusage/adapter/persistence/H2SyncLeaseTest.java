package dev.vapiusage.adapter.persistence;

import static dev.vapiusage.domain.testing.TestData.anyUserId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.CallWindow;
import dev.vapiusage.domain.sync.SyncKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sync lease on the embedded H2 database, raced through two pools, and held against another
 * process that shares the file through AUTO_SERVER (the CLI beside a running server).
 */
class H2SyncLeaseTest extends SyncLeaseTests {
  private Path folder;

  @Override
  protected Database[] openTwice() {
    folder = TestDatabases.temporaryFolder("vapi-usage-lease-");
    return new Database[] {
      Database.embedded(folder, TestDatabases.FAST), Database.embedded(folder, TestDatabases.FAST)
    };
  }

  @Test
  void aLeaseHeldByALiveProcess_keepsAnotherProcessOut_andOneOfAnEndedProcessIsTakenOver()
      throws Exception {
    Path shared = TestDatabases.temporaryFolder("vapi-usage-lease-process-");
    UserId held = anyUserId();
    UserId free = anyUserId();
    Instant now = Instant.now();
    try (Database server = Database.embedded(shared, TestDatabases.FAST)) {
      server
          .syncLease()
          .tryStart(
              held,
              SyncKind.RANGE,
              CallWindow.created(now.minusSeconds(60), now),
              now,
              Duration.ofMinutes(5))
          .orElseThrow();

      List<String> answers = runProbe(shared, held, free);

      assertThat(answers).containsExactly(held + " refused", free + " started");
      // The other process has ended without finishing its run: its lease, five minutes long, is
      // taken over at once instead of when it expires.
      assertThat(
              server
                  .syncLease()
                  .tryStart(
                      free,
                      SyncKind.RANGE,
                      CallWindow.created(now.minusSeconds(60), now),
                      now,
                      Duration.ofMinutes(5)))
          .isPresent();
    }
  }

  private static List<String> runProbe(Path folder, UserId... users) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LeaseProbeProcess.class.getName());
    command.add(folder.toString());
    for (UserId user : users) {
      command.add(user.value());
    }
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return lines;
  }
}
