package dev.vapiusage.bootstrap;

import dev.vapiusage.adapter.http.VapiUsageHttp;
import dev.vapiusage.adapter.persistence.Database;
import dev.vapiusage.adapter.vapi.VapiClient;
import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.AuthenticateToken;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.CreateUserToken;
import dev.vapiusage.application.DisconnectVapi;
import dev.vapiusage.application.ExportCalls;
import dev.vapiusage.application.FetchLiveMetrics;
import dev.vapiusage.application.GetCall;
import dev.vapiusage.application.GetDashboardUsage;
import dev.vapiusage.application.GetIntegrationStatus;
import dev.vapiusage.application.ListCalls;
import dev.vapiusage.application.ManageWebhook;
import dev.vapiusage.application.SyncAllConnected;
import dev.vapiusage.application.SyncListener;
import dev.vapiusage.application.SyncSettings;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.application.WatchUsage;
import dev.vapiusage.domain.port.KeyVault;
import dev.vapiusage.domain.port.MetricsSource;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Every use case, wired by hand on one database, one key vault and one Vapi client: the one
 * composition the commands, the tests and the benchmarks share.
 */
public final class Services {
  final Database database;
  public final ConnectVapi connect;
  final DisconnectVapi disconnect;
  final GetIntegrationStatus status;
  final FetchLiveMetrics liveMetrics;
  public final SyncUsage sync;
  final GetDashboardUsage dashboard;
  final ListCalls listCalls;
  final GetCall getCall;
  final ExportCalls exportCalls;
  final ManageWebhook manageWebhook;
  final AcceptServerMessage acceptServerMessage;
  final SyncAllConnected syncAll;
  public final CreateUserToken createToken;
  final AuthenticateToken authenticate;
  final Clock clock;

  public Services(
      Database database,
      KeyVault vault,
      MetricsSource vapi,
      Clock clock,
      Duration staleAfter,
      SyncListener listener) {
    this.database = database;
    this.clock = clock;
    connect = new ConnectVapi(database.integrations(), vault, vapi, clock);
    disconnect = new DisconnectVapi(database.integrations(), clock);
    status = new GetIntegrationStatus(database.integrations(), database.syncRuns());
    liveMetrics = new FetchLiveMetrics(database.integrations(), vault, vapi);
    sync =
        new SyncUsage(
            database.integrations(),
            vault,
            vapi,
            database.usage(),
            database.syncLease(),
            database.syncCursors(),
            clock,
            SyncSettings.DEFAULTS,
            listener);
    dashboard =
        new GetDashboardUsage(
            database.integrations(),
            database.usage(),
            sync,
            clock,
            staleAfter,
            database.versions());
    listCalls =
        new ListCalls(
            database.callHistory(), database.assistantNames(), database.signingKeys(), clock);
    getCall = new GetCall(database.callHistory(), database.assistantNames(), clock);
    exportCalls = new ExportCalls(database.callHistory(), database.assistantNames(), clock);
    manageWebhook = new ManageWebhook(database.webhookEndpoints(), vault);
    acceptServerMessage =
        new AcceptServerMessage(
            database.webhookEndpoints(),
            database.integrations(),
            vault,
            VapiClient.serverMessageReader(),
            database.usage(),
            clock);
    syncAll = new SyncAllConnected(database.integrations(), sync);
    createToken = new CreateUserToken(database.userTokens(), clock);
    authenticate = new AuthenticateToken(database.userTokens());
  }

  public VapiUsageHttp http(PrometheusMeterRegistry registry) {
    return http(registry, Set.of());
  }

  /** The server answering to {@code allowedHosts} only (empty: any host name). */
  public VapiUsageHttp http(PrometheusMeterRegistry registry, Set<String> allowedHosts) {
    return VapiUsageHttp.builder()
        .allowedHosts(allowedHosts)
        .connectVapi(connect)
        .disconnectVapi(disconnect)
        .integrationStatus(status)
        .liveMetrics(liveMetrics)
        .syncUsage(sync)
        .dashboardUsage(dashboard)
        .listCalls(listCalls)
        .getCall(getCall)
        .exportCalls(exportCalls)
        .manageWebhook(manageWebhook)
        .acceptServerMessage(acceptServerMessage)
        .watchUsage(new WatchUsage(database.versions()))
        .authenticateToken(authenticate)
        .health(database::isReachable)
        .meterRegistry(registry)
        .prometheusText(registry::scrape)
        .clock(clock)
        .build();
  }
}
