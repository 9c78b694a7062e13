package dev.vapiusage.adapter.http;

import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.DisconnectVapi;
import dev.vapiusage.application.FetchLiveMetrics;
import dev.vapiusage.application.GetDashboardUsage;
import dev.vapiusage.application.GetIntegrationStatus;
import dev.vapiusage.application.SyncUsage;

/**
 * The use-case setters both public builders share, so the standalone server and the embedded routes
 * take their use cases the same way.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
abstract class UseCaseSetters<B extends UseCaseSetters<B>> {
  private ConnectVapi connect;
  private DisconnectVapi disconnect;
  private GetIntegrationStatus status;
  private FetchLiveMetrics liveMetrics;
  private SyncUsage sync;
  private GetDashboardUsage dashboardUsage;

  abstract B self();

  /** All six use cases at once, as a composition root that holds them all sets them. */
  public B useCases(
      ConnectVapi connect,
      DisconnectVapi disconnect,
      GetIntegrationStatus status,
      FetchLiveMetrics liveMetrics,
      SyncUsage sync,
      GetDashboardUsage dashboardUsage) {
    return connectVapi(connect)
        .disconnectVapi(disconnect)
        .integrationStatus(status)
        .liveMetrics(liveMetrics)
        .syncUsage(sync)
        .dashboardUsage(dashboardUsage);
  }

  public B connectVapi(ConnectVapi value) {
    connect = value;
    return self();
  }

  public B disconnectVapi(DisconnectVapi value) {
    disconnect = value;
    return self();
  }

  public B integrationStatus(GetIntegrationStatus value) {
    status = value;
    return self();
  }

  public B liveMetrics(FetchLiveMetrics value) {
    liveMetrics = value;
    return self();
  }

  public B syncUsage(SyncUsage value) {
    sync = value;
    return self();
  }

  public B dashboardUsage(GetDashboardUsage value) {
    dashboardUsage = value;
    return self();
  }

  /** The use cases set so far; every one is required. */
  UseCases useCases() {
    return new UseCases(connect, disconnect, status, liveMetrics, sync, dashboardUsage);
  }
}
