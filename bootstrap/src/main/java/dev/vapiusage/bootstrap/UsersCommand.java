package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.application.CreateUserToken;
import dev.vapiusage.domain.UserId;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Manages the standalone server's users. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Manage users.",
    subcommands = UsersCommand.Create.class)
final class UsersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Main.BAD_CONFIGURATION;
  }

  /** Creates a user, or a new token for an existing one, and prints the token once. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a user (or a new token for an existing one); prints its API token once, on the last line.")
  static final class Create implements Callable<Integer> {
    @Mixin ConfigOptions.DatabaseOptions database;

    @Parameters(
        index = "0",
        paramLabel = "<userId>",
        description = "letters, digits and . _ @ : + - (1 to 128)")
    String userId;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      UserId user;
      try {
        user = UserId.of(userId);
      } catch (RuntimeException e) {
        throw new ConfigException("userId: " + e.getMessage());
      }
      Settings settings = Wiring.settings(options -> options.database = database);
      try (Database database = Wiring.database(settings)) {
        String token = new CreateUserToken(database.userTokens(), Clock.systemUTC()).create(user);
        spec.commandLine()
            .getErr()
            .println("Created an API token for user " + user + "; it is shown only once:");
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(token);
        spec.commandLine().getOut().flush();
      }
      return Main.OK;
    }
  }
}
