package dev.vapiusage.domain.testing;

import dev.vapiusage.domain.port.DataVersions;
import dev.vapiusage.domain.port.IntegrationRepository;
import dev.vapiusage.domain.port.UsageRepository;

class InMemoryDataVersionsTest extends DataVersionsContract {
  private final InMemoryDataVersions versions = new InMemoryDataVersions();
  private final InMemoryIntegrationRepository integrations =
      new InMemoryIntegrationRepository(versions);
  private final InMemoryUsageRepository usage = new InMemoryUsageRepository(versions);

  @Override
  protected DataVersions versions() {
    return versions;
  }

  @Override
  protected IntegrationRepository integrations() {
    return integrations;
  }

  @Override
  protected UsageRepository usage() {
    return usage;
  }
}
