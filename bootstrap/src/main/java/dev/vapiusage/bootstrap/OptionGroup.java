package dev.vapiusage.bootstrap;

import java.util.Map;

/**
 * Options of one kind (database, listening, …) that a command mixes in; each option means the same
 * as its variable. A command takes only the groups it honours, so its {@code --help} lists only
 * what it uses and an option it would ignore is refused.
 */
interface OptionGroup {
  /** Adds the options given on the command line to {@code values}, by variable name. */
  void addTo(Map<String, String> values);

  static void put(Map<String, String> values, String variable, String value) {
    if (value != null) {
      values.put(variable, value);
    }
  }
}
