package dev.vapiusage.bootstrap;

import dev.vapiusage.VapiUsage;
import dev.vapiusage.adapter.http.ContractJson;
import dev.vapiusage.application.SyncCommand;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncResult;
import dev.vapiusage.domain.DateRange;
import dev.vapiusage.domain.ErrorCode;
import dev.vapiusage.domain.UsageException;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.sync.SyncOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One sync from the command line. Progress goes to standard error; the last line of standard output
 * is the sync result object of {@code POST /api/vapi/sync}, or its error object.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Sync one user's calls now: a date range, or without dates every change since the last sync.")
final class SyncCliCommand implements Callable<Integer> {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

  @Mixin ConfigOptions.EncryptionKeyOptions encryptionKey;
  @Mixin ConfigOptions.DatabaseOptions database;
  @Mixin ConfigOptions.VapiOptions vapi;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "USER_ID",
      description = "the user whose Vapi account to sync")
  String user;

  @Option(
      names = "--start",
      paramLabel = "YYYY-MM-DD",
      description = "first date of the range (inclusive)")
  String start;

  @Option(
      names = "--end",
      paramLabel = "YYYY-MM-DD",
      description = "last date of the range (inclusive)")
  String end;

  @Option(
      names = "--timezone",
      paramLabel = "ZONE",
      description = "IANA time zone the dates are seen in (default UTC)")
  String timezone;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Settings settings =
        Wiring.settings(
            options -> {
              options.encryptionKey = encryptionKey;
              options.database = database;
              options.vapi = vapi;
            });
    settings.encryptionKey();
    Clock clock = Clock.systemUTC();
    try (VapiUsage vapiUsage =
        Wiring.vapiUsage(settings, new SimpleMeterRegistry(), new Progress(err, clock))) {
      try {
        SyncCommand command = command(clock);
        SyncResult result = vapiUsage.sync().sync(command);
        out.println(ContractJson.syncResult(result));
        out.flush();
        return Main.OK;
      } catch (UsageException e) {
        out.println(ContractJson.error(e));
        out.flush();
        err.println(
            "vapi-usage: "
                + (e.code() == ErrorCode.INTERNAL_ERROR
                    ? "an unexpected error occurred"
                    : e.getMessage()));
        err.flush();
        return Main.FAILED;
      }
    }
  }

  private SyncCommand command(Clock clock) {
    UserId userId = UserId.of(user);
    if (start == null && end == null) {
      DateRange.parseZone(timezone);
      return SyncCommand.incremental(userId);
    }
    return new SyncCommand(userId, Optional.of(DateRange.resolve(start, end, timezone, clock)));
  }

  /** Prints a progress line at most once a second: calls stored, rate, and how far it got. */
  private static final class Progress implements SyncListener {
    private final PrintWriter err;
    private final Clock clock;
    private final Instant started;
    private Instant lastPrinted;

    Progress(PrintWriter err, Clock clock) {
      this.err = err;
      this.clock = clock;
      this.started = clock.instant();
      this.lastPrinted = started;
    }

    @Override
    public void progress(UserId userId, long callsStored, long callsChanged, Instant reached) {
      Instant now = clock.instant();
      if (Duration.between(lastPrinted, now).compareTo(PROGRESS_EVERY) < 0) {
        return;
      }
      lastPrinted = now;
      print(callsStored, callsChanged, reached, now);
    }

    @Override
    public void finished(UserId userId, SyncOutcome outcome) {
      print(outcome.callsSeen(), outcome.callsChanged(), null, clock.instant());
      err.println("sync " + outcome.status().code());
      err.flush();
    }

    private void print(long stored, long changed, Instant reached, Instant now) {
      double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
      err.printf(
          "sync: %,d calls stored (%,d new or changed), %,.0f calls/s%s%n",
          stored, changed, stored / seconds, reached == null ? "" : ", reached " + reached);
      err.flush();
    }
  }
}
