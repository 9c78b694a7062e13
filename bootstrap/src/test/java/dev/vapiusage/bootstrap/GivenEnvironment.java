package dev.vapiusage.bootstrap;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;

/**
 * Commands parsed as the jar parses them, with a given map instead of the process's environment:
 * each option's own {@code ${env:NAME}} default, looked up in the map, so a developer's
 * DATABASE_URL stays out of the tests.
 */
final class GivenEnvironment implements IDefaultValueProvider {
  private static final String PREFIX = "${env:";

  private final Map<String, String> env;

  private GivenEnvironment(Map<String, String> env) {
    this.env = env;
  }

  /** The settings of {@code serve} run with {@code args} in the environment {@code env}. */
  static Settings settings(Map<String, String> env, String... args) {
    return new Settings(env, parse(new ServeCommand(), env, args).options);
  }

  /** {@code command} after parsing {@code args} in the environment {@code env}. */
  static <T> T parse(T command, Map<String, String> env, String... args) {
    new CommandLine(command)
        // Unresolved, so that defaultValue below sees the declared ${env:NAME}.
        .setInterpolateVariables(false)
        .setDefaultValueProvider(new GivenEnvironment(env))
        .parseArgs(args);
    return command;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    String declared = arg.defaultValue();
    if (declared == null || !declared.startsWith(PREFIX)) {
      return null;
    }
    String value = env.get(declared.substring(PREFIX.length(), declared.length() - 1));
    return value == null ? CommandLine.Option.NULL_VALUE : value;
  }
}
