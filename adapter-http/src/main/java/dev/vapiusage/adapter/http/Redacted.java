package dev.vapiusage.adapter.http;

import java.util.regex.Pattern;

/**
 * Failures made fit for a log line. An unexpected exception's message may quote what it choked on:
 * a request header ({@code invalid header value: "Bearer sk-…"}), a URL with its query, a body, or
 * bytes a client sent to forge log lines. Such a message is never logged as is: the exception's
 * class stays, its message loses quoted text, bearer credentials, long token-like words and line
 * breaks, and its stack trace stays, so a 500 can still be traced to its line.
 */
public final class Redacted {
  static final String MASK = "[redacted]";
  private static final int MAX_MESSAGE = 200;
  private static final int MAX_CAUSES = 8;

  private static final Pattern BEARER =
      Pattern.compile("(?i)\\b(bearer|basic|token|key|secret|password)\\b\\s*[:=]?\\s*\\S+");
  private static final Pattern QUOTED =
      Pattern.compile("\"[^\"]*\"?|'[^']*'?|\\[[^\\]]*\\]?|<[^>]*>?");
  // A long word of token characters with a digit in it, or a very long one: keys, tokens, ids.
  private static final Pattern TOKEN_LIKE =
      Pattern.compile("[A-Za-z0-9_\\-+/=%.]*[0-9][A-Za-z0-9_\\-+/=%.]*|[A-Za-z0-9_\\-+/=%.]{24,}");
  private static final Pattern CONTROL =
      Pattern.compile("[\\p{Cntrl}\\p{Cf}\\p{Cs}\\p{Co}\\p{Zl}\\p{Zp}]+");

  private Redacted() {}

  /** One line: the class names of the failure and its causes, each with its redacted message. */
  public static String describe(Throwable failure) {
    StringBuilder line = new StringBuilder();
    Throwable current = failure;
    for (int depth = 0;
        current != null && depth < MAX_CAUSES;
        depth++, current = current.getCause()) {
      if (depth > 0) {
        line.append(" <- ");
      }
      line.append(current.getClass().getName());
      String message = message(current.getMessage());
      if (!message.isEmpty()) {
        line.append(": ").append(message);
      }
    }
    return line.toString();
  }

  /**
   * A stand-in to hand a logger with its stack trace: the same frames and chain of causes, each
   * named by its original class, with redacted messages.
   */
  public static Throwable copyOf(Throwable failure) {
    return copy(failure, 0);
  }

  private static Throwable copy(Throwable failure, int depth) {
    Throwable cause =
        failure.getCause() != null && depth < MAX_CAUSES
            ? copy(failure.getCause(), depth + 1)
            : null;
    Failure copy = new Failure(failure.getClass().getName(), message(failure.getMessage()), cause);
    copy.setStackTrace(failure.getStackTrace());
    return copy;
  }

  /** A message with nothing in it that could be a secret or forge a line; "" for none. */
  static String message(String message) {
    if (message == null || message.isBlank()) {
      return "";
    }
    String text =
        message.length() > 4 * MAX_MESSAGE ? message.substring(0, 4 * MAX_MESSAGE) : message;
    text = CONTROL.matcher(text).replaceAll(" ");
    text = BEARER.matcher(text).replaceAll("$1 " + MASK);
    text = QUOTED.matcher(text).replaceAll(MASK);
    StringBuilder out = new StringBuilder(text.length());
    var words = TOKEN_LIKE.matcher(text);
    int last = 0;
    while (words.find()) {
      out.append(text, last, words.start());
      String word = words.group();
      // Short words with digits (a status, a port, a count) say what happened and give nothing
      // away.
      out.append(word.length() < 8 ? word : MASK);
      last = words.end();
    }
    out.append(text, last, text.length());
    String result = out.toString().strip();
    return result.length() > MAX_MESSAGE ? result.substring(0, MAX_MESSAGE) + "…" : result;
  }

  /**
   * The redacted copy of a failure. Loggers print an exception's own class name, so the original
   * class leads the message.
   */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String className, String message, Throwable cause) {
      super(message.isEmpty() ? className : className + ": " + message, cause, false, true);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
