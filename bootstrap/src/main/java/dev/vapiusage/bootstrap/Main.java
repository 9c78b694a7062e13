package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.http.Redacted;
import dev.vapiusage.adapter.persistence.EncryptionKeyException;
import dev.vapiusage.domain.UsageException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The server jar's command line: {@code serve} (the default), {@code users create}, {@code sync},
 * {@code rotate-key} and {@code demo}. Exit codes: 0 success, 1 failure, 2 bad configuration or
 * usage. Every failure is one line on standard error.
 */
@Command(
    name = "vapi-usage",
    mixinStandardHelpOptions = true,
    version = "vapi-usage 0.1.0",
    description = "Syncs Vapi usage into a database and serves the dashboard. Without a command: serve.",
    subcommands = {
      ServeCommand.class,
      UsersCommand.class,
      SyncCliCommand.class,
      RotateKeyCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_CONFIGURATION = 2;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @Mixin ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    ServeCommand serve = new ServeCommand();
    serve.options = options;
    return serve.call();
  }

  public static void main(String[] args) {
    // H2's AUTO_SERVER, which lets commands share the embedded database with a running serve,
    // listens on every interface unless told otherwise, and only a JVM-wide property tells it
    // (read once, when H2 loads). The embedded database is for one machine: loopback only. The
    // process's own main is the one place that may set such a property.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(Main::failure);
    return commandLine.execute(args);
  }

  private static int failure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof ConfigException || e instanceof EncryptionKeyException) {
      err.println("vapi-usage: " + e.getMessage());
      err.flush();
      return BAD_CONFIGURATION;
    }
    if (e instanceof UsageException) {
      err.println("vapi-usage: " + e.getMessage());
      err.flush();
      return FAILED;
    }
    // Unexpected: the detail goes to the log (one line), the user gets one line too.
    LOG.error("Unexpected failure: {}", Redacted.describe(e));
    err.println("vapi-usage: unexpected error (" + e.getClass().getSimpleName() + "); see the log above");
    err.flush();
    return FAILED;
  }
}
