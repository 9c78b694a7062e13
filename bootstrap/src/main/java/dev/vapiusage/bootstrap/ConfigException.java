package dev.vapiusage.bootstrap;

/** A bad configuration value: its message is the one line a user sees before exit code 2. */
final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }
}
