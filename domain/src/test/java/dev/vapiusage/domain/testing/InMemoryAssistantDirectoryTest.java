package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.assistants.Assistant;
import dev.vapiusage.domain.port.AssistantDirectory;
import java.time.Instant;
import java.util.UUID;

class InMemoryAssistantDirectoryTest extends AssistantDirectoryContract {
  private final ApiKey key = TestData.anyApiKey();
  private final InMemoryAssistantDirectory directory = new InMemoryAssistantDirectory().accept(key);

  @Override
  protected AssistantDirectory directory() {
    return directory;
  }

  @Override
  protected ApiKey acceptedKey() {
    return key;
  }

  @Override
  protected Assistant addAssistant(String name, Instant createdAt) {
    Assistant assistant = new Assistant(UUID.randomUUID().toString(), name);
    directory.put(assistant);
    return assistant;
  }

  @Override
  protected void deleteAssistant(String id) {
    directory.remove(id);
  }
}
