package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.http.Redacted;
import dev.vapiusage.adapter.persistence.EncryptionKeyException;
import dev.vapiusage.domain.UsageException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    description =
        "Syncs Vapi usage into a database and serves the dashboard. Without a command: serve.",
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

  /**
   * {@code jdk.httpclient.bufsize} for the Vapi client: the JDK client moves a body in 16 KB
   * buffers by default, each handed from its selector thread to the reader; a page of 1000 calls is
   * megabytes, and 256 KB buffers cut the client's CPU per listed call by about a third (300,000
   * calls: 3.4 s of HttpClient threads' CPU down to 1.9 s). Applies to clients created after it is
   * set.
   */
  public static final String HTTP_CLIENT_BUFSIZE = Integer.toString(256 * 1024);

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
    setIfUnset("h2.bindAddress", "127.0.0.1");
    // The same goes for the Vapi client's buffers (see HTTP_CLIENT_BUFSIZE), and for the JDK
    // HttpServer's Nagle setting, which only demo's simulator uses: without TCP_NODELAY every small
    // answer waits out the client's delayed ACK. Each is only set if nobody chose otherwise.
    setIfUnset("jdk.httpclient.bufsize", HTTP_CLIENT_BUFSIZE);
    setIfUnset("sun.net.httpserver.nodelay", "true");
    System.exit(run(args));
  }

  private static void setIfUnset(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  static int run(String... args) {
    CommandLine commandLine =
        EnvironmentDefaults.apply(new CommandLine(new Main()), System.getenv());
    commandLine.setExecutionExceptionHandler(Main::failure);
    commandLine.setParameterExceptionHandler(Main::badUsage);
    return commandLine.execute(args);
  }

  /**
   * How to run this jar, for the hints the commands print: {@code java -jar <path>}, the path as
   * started (relative to the working directory when under it).
   */
  static String invocation() {
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(jar) && jar.getFileName().toString().endsWith(".jar")) {
        Path here = Path.of("").toAbsolutePath();
        String shown = (jar.startsWith(here) ? here.relativize(jar) : jar).toString();
        return "java -jar "
            + (shown.matches("[A-Za-z0-9._/:+@=,-]+")
                ? shown
                : "'" + shown.replace("'", "'\\''") + "'");
      }
    } catch (URISyntaxException | RuntimeException e) {
      // Not run from a jar (tests, an IDE): the usual name will do.
    }
    return "java -jar vapi-usage.jar";
  }

  /**
   * A command line that does not parse: one line saying what is wrong and where the help is, exit
   * 2. An unknown option is named without its value (it may be a secret someone tried to pass).
   */
  private static int badUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    String message = null;
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      if (first.startsWith("-")) {
        String name = first.split("=", 2)[0];
        message = "unknown option " + name + secretHint(name);
      } else if (!commandLine.getSubcommands().isEmpty()) {
        message = "unknown command '" + first + "'";
      } else {
        message = "unexpected argument '" + first + "'";
      }
    }
    if (message == null) {
      String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      message = text.lines().findFirst().orElse(text);
    }
    String command = commandLine.getCommandSpec().qualifiedName(" ");
    String sub = command.contains(" ") ? command.substring(command.indexOf(' ')) : "";
    PrintWriter err = commandLine.getErr();
    err.println("vapi-usage: " + message + "; see " + invocation() + sub + " --help");
    err.flush();
    return BAD_CONFIGURATION;
  }

  /** For an option that once took a secret: where the secret goes now. */
  private static String secretHint(String option) {
    switch (option) {
      case "--encryption-key":
      case "--old-encryption-key":
      case "--database-password":
        String variable = option.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return " (secrets are not taken from the command line, where ps shows them: set "
            + variable
            + " or use "
            + option
            + "-file)";
      default:
        return "";
    }
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
    err.println(
        "vapi-usage: unexpected error (" + e.getClass().getSimpleName() + "); see the log above");
    err.flush();
    return FAILED;
  }
}
