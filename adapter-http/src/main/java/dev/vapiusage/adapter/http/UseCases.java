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
import java.util.Objects;

/** The use cases the API calls, gathered so both public entry points wire them the same way. */
record UseCases(
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
    AcceptServerMessage acceptServerMessage,
    WatchUsage watchUsage) {

  UseCases {
    Objects.requireNonNull(connect, "connectVapi is required");
    Objects.requireNonNull(disconnect, "disconnectVapi is required");
    Objects.requireNonNull(status, "integrationStatus is required");
    Objects.requireNonNull(liveMetrics, "liveMetrics is required");
    Objects.requireNonNull(sync, "syncUsage is required");
    Objects.requireNonNull(dashboardUsage, "dashboardUsage is required");
    Objects.requireNonNull(listCalls, "listCalls is required");
    Objects.requireNonNull(getCall, "getCall is required");
    Objects.requireNonNull(exportCalls, "exportCalls is required");
    Objects.requireNonNull(manageWebhook, "manageWebhook is required");
    Objects.requireNonNull(acceptServerMessage, "acceptServerMessage is required");
    Objects.requireNonNull(watchUsage, "watchUsage is required");
  }
}
