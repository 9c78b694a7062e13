package dev.vapiusage.adapter.http;

/**
 * Where a {@link Guard} reports each request it handled: method, route template, status and time
 * taken.
 */
@FunctionalInterface
interface RequestRecorder {
  /**
   * For routes whose server records every request itself (404s included), so the guard records
   * none.
   */
  RequestRecorder NONE = (method, route, status, nanos) -> {};

  void record(String method, String route, int status, long nanos);
}
