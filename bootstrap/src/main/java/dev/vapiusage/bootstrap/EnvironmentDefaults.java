package dev.vapiusage.bootstrap;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;

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
   * process's environment outside tests). Picocli's own interpolation is off: it would read the
   * process's environment, turn {@code $$} in a value into {@code $} and expand {@code ${…}} inside
   * it, and a JDBC URL or a folder may hold either.
   */
  static CommandLine apply(CommandLine commandLine, Map<String, String> env) {
    return commandLine
        .setInterpolateVariables(false)
        .setDefaultValueProvider(new EnvironmentDefaults(env));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    String declared = arg.defaultValue();
    if (declared == null || !declared.startsWith(PREFIX)) {
      return null;
    }
    String value = env.get(declared.substring(PREFIX.length(), declared.length() - 1));
    // Not the declared text: without its variable, an option has no default.
    return value == null ? CommandLine.Option.NULL_VALUE : value;
  }
}
