package dev.vapiusage.adapter.http;

import dev.vapiusage.application.AcceptServerMessage;
import dev.vapiusage.application.ConnectVapi;
import dev.vapiusage.application.DisconnectVapi;
import dev.vapiusage.application.ExportCalls;
import dev.vapiusage.application.FetchLiveMetrics;
import dev.vapiusage.application.GetCall;
import dev.vapiusage.application.GetDashboardUsage;
import dev.vapiusage.application.GetIntegrationStatus;
import dev.vapiusage.application.ListCalls;
import dev.vapiusage.application.ManageWebhook;
import dev.vapiusage.application.SyncUsage;
import dev.vapiusage.application.WatchUsage;

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
  private ListCalls listCalls;
  private GetCall getCall;
  private ExportCalls exportCalls;
  private ManageWebhook manageWebhook;
  private AcceptServerMessage acceptServerMessage;
  private WatchUsage watchUsage;

  abstract B self();

  /** All eleven use cases at once, as a composition root that holds them all sets them. */
  public B useCases(
      ConnectVapi connect,
      DisconnectVapi disconnect,
      GetIntegrationStatus status,
      FetchLiveMetrics liveMetrics,
      SyncUsage sync,
      GetDashboardUsage dashboardUsage,
      ListCalls listCalls,
      GetCall getCall,
      ExportCalls exportCalls,
      ManageWebhook manageWebhook,
      AcceptServerMessage acceptServerMessage) {
    return connectVapi(connect)
        .disconnectVapi(disconnect)
        .integrationStatus(status)
        .liveMetrics(liveMetrics)
        .syncUsage(sync)
        .dashboardUsage(dashboardUsage)
        .listCalls(listCalls)
        .getCall(getCall)
        .exportCalls(exportCalls)
        .manageWebhook(manageWebhook)
        .acceptServerMessage(acceptServerMessage);
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

  public B listCalls(ListCalls value) {
    listCalls = value;
    return self();
  }

  public B getCall(GetCall value) {
    getCall = value;
    return self();
  }

  public B exportCalls(ExportCalls value) {
    exportCalls = value;
    return self();
  }

  /** The webhook's URL and secret, for the status and {@code POST /api/vapi/webhook/secret}. */
  public B manageWebhook(ManageWebhook value) {
    manageWebhook = value;
    return self();
  }

  /** What {@code POST /api/vapi/webhook/{webhookId}} hands Vapi's server messages to. */
  public B acceptServerMessage(AcceptServerMessage value) {
    acceptServerMessage = value;
    return self();
  }

  /** What the live pages' event stream ({@code GET /api/vapi/events}) watches. */
  public B watchUsage(WatchUsage value) {
    watchUsage = value;
    return self();
  }

  /** The use cases set so far; every one is required. */
  UseCases useCases() {
    return new UseCases(
        connect,
        disconnect,
        status,
        liveMetrics,
        sync,
        dashboardUsage,
        listCalls,
        getCall,
        exportCalls,
        manageWebhook,
        acceptServerMessage,
        watchUsage);
  }
}
