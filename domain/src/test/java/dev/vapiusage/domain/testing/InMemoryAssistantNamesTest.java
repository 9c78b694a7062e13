package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.AssistantNames;
import dev.vapiusage.domain.port.DataVersions;

class InMemoryAssistantNamesTest extends AssistantNamesContract {
  private final InMemoryDataVersions versions = new InMemoryDataVersions();
  private final InMemoryAssistantNames names = new InMemoryAssistantNames(versions);

  @Override
  protected AssistantNames names() {
    return names;
  }

  @Override
  protected DataVersions versions() {
    return versions;
  }
}
