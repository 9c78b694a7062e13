package dev.vapiusage.application;

import dev.vapiusage.domain.ApiKey;
import dev.vapiusage.domain.UserId;
import dev.vapiusage.domain.testing.InMemoryAssistantDirectory;
import dev.vapiusage.domain.testing.InMemoryAssistantNames;
import dev.vapiusage.domain.testing.InMemoryDataVersions;
import dev.vapiusage.domain.testing.InMemoryIntegrationRepository;
import dev.vapiusage.domain.testing.InMemoryKeyVault;
import dev.vapiusage.domain.testing.InMemoryMetricsSource;
import dev.vapiusage.domain.testing.InMemorySigningKeys;
import dev.vapiusage.domain.testing.InMemorySyncCursors;
import dev.vapiusage.domain.testing.InMemorySyncLease;
import dev.vapiusage.domain.testing.InMemorySyncRuns;
import dev.vapiusage.domain.testing.InMemoryUsageRepository;
import dev.vapiusage.domain.testing.InMemoryUserTokenRepository;
import dev.vapiusage.domain.testing.MutableClock;
import dev.vapiusage.domain.testing.TestData;
import java.time.Duration;
import java.time.Instant;

/** Every use case wired by hand on the in-memory adapters, as bootstrap wires the real ones. */
final class UseCaseFixture {
  static final Instant NOW = Instant.parse("2024-03-15T12:00:00Z");

  final MutableClock clock = new MutableClock(NOW);
  final InMemoryDataVersions versions = new InMemoryDataVersions();
  final InMemoryIntegrationRepository integrations = new InMemoryIntegrationRepository(versions);
  final InMemoryKeyVault vault = new InMemoryKeyVault();
  final InMemoryMetricsSource vapi = new InMemoryMetricsSource();
  final InMemoryUsageRepository usage = new InMemoryUsageRepository(versions);
  final InMemorySyncRuns runs = new InMemorySyncRuns();
  final InMemorySyncLease lease = new InMemorySyncLease(runs);
  final InMemorySyncCursors cursors = new InMemorySyncCursors();
  final InMemoryUserTokenRepository tokens = new InMemoryUserTokenRepository();
  final InMemoryAssistantDirectory assistants = new InMemoryAssistantDirectory();
  final InMemoryAssistantNames names = new InMemoryAssistantNames(versions);
  final InMemorySigningKeys signingKeys = new InMemorySigningKeys();

  final ConnectVapi connect = new ConnectVapi(integrations, vault, vapi, clock);
  final DisconnectVapi disconnect = new DisconnectVapi(integrations, clock);
  final GetIntegrationStatus status = new GetIntegrationStatus(integrations);
  final FetchLiveMetrics liveMetrics =
      new FetchLiveMetrics(integrations, vault, vapi, assistants, clock);
  final RefreshAssistantNames refreshNames = new RefreshAssistantNames(assistants, names, clock);
  final SyncUsage sync =
      new SyncUsage(
          integrations,
          vault,
          vapi,
          usage,
          lease,
          cursors,
          clock,
          SyncSettings.DEFAULTS,
          SyncListener.NONE,
          SyncUsage.defaultStorers(),
          refreshNames);
  final GetDashboardUsage dashboard =
      new GetDashboardUsage(
          integrations, usage, sync, clock, Duration.ofMinutes(5), versions, names, usage);
  final ListCalls listCalls = new ListCalls(usage, names, signingKeys, clock);
  final GetCall getCall = new GetCall(usage, names, clock);
  final ExportCalls exportCalls = new ExportCalls(usage, names, clock);
  final CreateUserToken createToken = new CreateUserToken(tokens, clock);
  final AuthenticateToken authenticate = new AuthenticateToken(tokens);

  /** A user whose account at the fake Vapi accepts the returned key, already connected. */
  ApiKey connected(UserId user) {
    ApiKey key = TestData.anyApiKey();
    vapi.accept(key);
    assistants.accept(key);
    connect.connect(new ConnectCommand(user, key));
    return key;
  }
}
