package dev.vapiusage.domain.port;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.CallRecord;
import dev.vapiusage.domain.sync.CallWindow;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where calls come from (Vapi). Failures are {@link dev.vapiusage.domain.UsageException}s with code
 * {@code INVALID_API_KEY} (the key was rejected) or {@code VAPI_UNAVAILABLE} (unreachable, too
 * slow, or failing after retries). Implementations are thread-safe.
 */
public interface MetricsSource {

  /** Checks a key with one cheap request; returns normally when Vapi accepts it. */
  void verify(ApiKey apiKey);

  /**
   * Delivers every call whose windowed timestamp lies in the window, each exactly once, in batches
   * (never the whole window at once), in no particular order. Returns when the window is complete;
   * a failure part-way leaves the batches already delivered valid.
   */
  void stream(ApiKey apiKey, CallWindow window, Consumer<List<CallRecord>> batches);
}
