package dev.vapiusage.domain.port;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.assistants.Assistant;
import java.util.List;

/**
 * The assistants of a Vapi account, every page of them. Fails like {@link MetricsSource}.
 * Implementations are thread-safe.
 */
public interface AssistantDirectory {
  List<Assistant> assistants(ApiKey apiKey);
}
