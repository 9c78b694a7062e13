package dev.vapiusage.simulator;

/** A request that could not be answered as asked: answered with its status and messages. */
final class Rejection extends Exception {
  private static final long serialVersionUID = 1L;
  final int status;
  final String error;
  final transient Object message;

  Rejection(int status, String error, Object message) {
    super(error, null, false, false);
    this.status = status;
    this.error = error;
    this.message = message;
  }

  static Rejection badRequest(String problem) {
    return new Rejection(400, "Bad Request", java.util.List.of(problem));
  }

  static Rejection notFound(String method, String path) {
    return new Rejection(404, "Not Found", "Cannot " + method + " " + path);
  }
}
