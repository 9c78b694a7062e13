package dev.vapiusage.bootstrap;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The environment as picocli's default values: an option declared with {@code defaultValue =
 * "${env:NAME}"} and not given on the command line takes NAME's value, verbatim.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  private static final String PREFIX = "${env:";

  private final Map<String, String> env;

  private EnvironmentDefaults(Map<String, String> env) {
    this.env = env;
  }

  /**
   * {@code commandLine} and its subcommands, reading their options' variables in {@code env} (the
   * process's environment outside tests) rather than through picocli's own {@code ${env:}} lookup,
   * which reads only the process's environment and rewrites values: {@code $$} becomes {@code $}
   * and {@code ${…}} inside a value is expanded, and a JDBC URL or a folder may hold either.
   */
  static CommandLine apply(CommandLine commandLine, Map<String, String> env) {
    return commandLine.setDefaultValueProvider(new EnvironmentDefaults(env));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    // The declared text, before picocli interpolates it.
    String declared = arg instanceof OptionSpec option ? option.toBuilder().defaultValue() : null;
    if (declared == null || !declared.startsWith(PREFIX)) {
      return null;
    }
    String value = env.get(declared.substring(PREFIX.length(), declared.length() - 1));
    // Picocli interpolates what a provider returns too: escaped, every $ comes back as it was.
    return value == null ? CommandLine.Option.NULL_VALUE : value.replace("$", "$$");
  }
}
