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

  /**
   * {@code jdk.httpclient.bufsize} for the Vapi client: the JDK client moves a body in 16 KB
   * buffers by default, each handed from its selector thread to the reader; a page of 1000 calls
   * is megabytes, and 256 KB buffers cut the client's CPU per listed call by about a third
   * (300,000 calls: 3.4 s of HttpClient threads' CPU down to 1.9 s). Applies to clients created
   * after it is set.
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
