package dev.vapiusage.bootstrap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The packaged server jar run as a real process, its output captured line by line. */
final class JarProcess implements AutoCloseable {
  final Process process;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();

  private JarProcess(Process process) {
    this.process = process;
    pump(process.getInputStream(), out);
    pump(process.getErrorStream(), err);
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("vapiusage.jar", "target/vapi-usage.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Package the server jar first: " + jar.toAbsolutePath());
    }
    return jar;
  }

  /**
   * Starts {@code java -jar vapi-usage.jar args} with exactly the given environment (plus
   * PATH/HOME).
   */
  static JarProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    builder.environment().putAll(env);
    return new JarProcess(builder.start());
  }

  /** Runs a command to its end. */
  static JarProcess run(Map<String, String> env, String... args) throws Exception {
    JarProcess process = start(env, args);
    if (!process.process.waitFor(90, TimeUnit.SECONDS)) {
      process.close();
      throw new AssertionError("timed out: " + String.join(" ", args) + "\n" + process.err);
    }
    process.drain();
    return process;
  }

  int exitCode() {
    return process.exitValue();
  }

  String lastOut() {
    return out.isEmpty() ? "" : out.get(out.size() - 1);
  }

  /** Waits until a line of standard error or output matches. */
  String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (List<String> lines : List.of(out, err)) {
        for (String line : lines) {
          if (matches.test(line)) {
            return line;
          }
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no such line; stdout=" + out + " stderr=" + err);
  }

  private void drain() throws InterruptedException {
    // The pump threads finish shortly after the process closes its streams.
    Thread.sleep(100);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void pump(java.io.InputStream stream, List<String> lines) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // The process ended.
              }
            });
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops the process as a {@code kill} (SIGTERM) does and waits for it, keeping what it writes
   * while stopping: {@link Process#destroy()} closes the pipes, so its last lines would be lost.
   */
  int stop() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    drain();
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
