package dev.vapiusage.adapter.http;

import java.util.Locale;

/**
 * Server-rendered HTML of the login page and the dashboard pages. Pages are plain markup that work
 * under a strict Content-Security-Policy: no inline script or style, only {@code /assets/*}. Data
 * is fetched by {@code app.js} from the JSON API with the page's CSRF token.
 */
final class Pages {
  static final String CONTENT_TYPE = "text/html; charset=utf-8";

  /** The dashboard pages, their paths and titles. */
  enum Dashboard {
    OVERVIEW("/dashboard", "Overview"),
    USAGE("/dashboard/usage", "Usage"),
    BILLING("/dashboard/billing", "Billing"),
    SETTINGS("/dashboard/settings", "Settings");

    final String path;
    final String title;

    Dashboard(String path, String title) {
      this.path = path;
      this.title = title;
    }

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private Pages() {}

  static String login(String message) {
    StringBuilder html = new StringBuilder(2048);
    head(html, "Sign in", null);
    html.append("<body data-page=\"login\">\n<main class=\"login\">\n")
        .append("<h1>Vapi Usage</h1>\n<p class=\"muted\">Sign in with the API token that <code>users create</code> printed.</p>\n");
    if (message != null) {
      html.append("<p class=\"error\" role=\"alert\">").append(escape(message)).append("</p>\n");
    }
    html.append("<form method=\"post\" action=\"/login\" class=\"stack\">\n")
        .append("<label for=\"token\">API token</label>\n")
        .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required autofocus>\n")
        .append("<button type=\"submit\">Sign in</button>\n")
        .append("</form>\n</main>\n</body>\n</html>\n");
    return html.toString();
  }

  static String dashboard(Dashboard page, Caller caller, boolean canSignOut) {
    StringBuilder html = new StringBuilder(4096);
    head(html, page.title, caller.csrfToken());
    html.append("<body data-page=\"").append(page.id()).append("\">\n<header>\n<nav>\n")
        .append("<span class=\"brand\">Vapi Usage</span>\n");
    for (Dashboard link : Dashboard.values()) {
      html.append("<a href=\"").append(link.path).append('"');
      if (link == page) {
        html.append(" aria-current=\"page\"");
      }
      html.append('>').append(link.title).append("</a>\n");
    }
    html.append("<span class=\"user\">").append(escape(caller.userId().value())).append("</span>\n");
    if (canSignOut) {
      html.append("<form method=\"post\" action=\"/logout\" class=\"inline\">")
          .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(caller.csrfToken())).append("\">")
          .append("<button type=\"submit\">Sign out</button></form>\n");
    }
    html.append("</nav>\n</header>\n<main>\n<h1>").append(page.title).append("</h1>\n");
    html.append("<p id=\"message\" class=\"message\" role=\"status\"></p>\n");
    switch (page) {
      case OVERVIEW:
        overview(html);
        break;
      case USAGE:
        usage(html);
        break;
      case BILLING:
        billing(html);
        break;
      case SETTINGS:
        settings(html, caller.csrfToken());
        break;
    }
    html.append("</main>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void overview(StringBuilder html) {
    html.append("<p class=\"muted\">This month so far. <span id=\"synced\"></span></p>\n")
        .append(cards("calls", "Calls", "minutes", "Minutes", "cost", "Cost (USD)"))
        .append("<section>\n<h2>Calls per day</h2>\n<div id=\"chart\" class=\"chart\" aria-label=\"Calls per day\"></div>\n</section>\n");
  }

  private static void usage(StringBuilder html) {
    html.append("<form id=\"range\" class=\"row\">\n")
        .append("<label>From <input type=\"date\" name=\"startDate\"></label>\n")
        .append("<label>To <input type=\"date\" name=\"endDate\"></label>\n")
        .append("<label>Time zone <input type=\"text\" name=\"timezone\" value=\"UTC\"></label>\n")
        .append("<button type=\"submit\">Show</button>\n</form>\n")
        .append(cards("calls", "Calls", "minutes", "Minutes", "cost", "Cost (USD)"))
        .append("<section>\n<h2>Per day</h2>\n<div id=\"chart\" class=\"chart\"></div>\n</section>\n")
        .append(table("byAssistant", "By assistant", "Assistant"))
        .append(table("byType", "By call type", "Type"))
        .append(table("byEndedReason", "By ended reason", "Ended reason"));
  }

  private static void billing(StringBuilder html) {
    html.append("<p class=\"muted\">Costs this month, in USD.</p>\n")
        .append(cards("cost", "Month to date", "projection", "Projected month end", "calls", "Calls"))
        .append("<section>\n<h2>By component</h2>\n<table id=\"components\"><thead><tr><th>Component</th><th>Cost</th></tr></thead><tbody></tbody></table>\n</section>\n")
        .append("<section>\n<h2>By day</h2>\n<table id=\"days\"><thead><tr><th>Date</th><th>Calls</th><th>Cost</th></tr></thead><tbody></tbody></table>\n</section>\n");
  }

  private static void settings(StringBuilder html, String csrf) {
    html.append("<section>\n<h2>Vapi integration</h2>\n<dl id=\"status\">\n")
        .append("<dt>Connected</dt><dd data-field=\"connected\">–</dd>\n")
        .append("<dt>Key</dt><dd data-field=\"keyHint\">–</dd>\n")
        .append("<dt>Connected at</dt><dd data-field=\"connectedAt\">–</dd>\n")
        .append("<dt>Last sync</dt><dd data-field=\"lastSyncedAt\">–</dd>\n")
        .append("<dt>Last sync status</dt><dd data-field=\"lastSyncStatus\">–</dd>\n")
        .append("<dt>Last sync error</dt><dd data-field=\"lastSyncError\">–</dd>\n")
        .append("</dl>\n</section>\n")
        .append("<section>\n<h2>Connect</h2>\n<form id=\"connect\" class=\"stack\">\n")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">\n")
        .append("<label for=\"apiKey\">Vapi private API key</label>\n")
        .append("<input id=\"apiKey\" name=\"apiKey\" type=\"password\" autocomplete=\"off\" required maxlength=\"512\">\n")
        .append("<button type=\"submit\">Connect Vapi Account</button>\n</form>\n</section>\n")
        .append("<section class=\"row\">\n<button id=\"sync\" type=\"button\">Sync Now</button>\n")
        .append("<button id=\"disconnect\" type=\"button\" class=\"danger\">Disconnect</button>\n</section>\n");
  }

  private static String cards(String... fieldsAndLabels) {
    StringBuilder html = new StringBuilder("<section class=\"cards\">\n");
    for (int i = 0; i < fieldsAndLabels.length; i += 2) {
      html.append("<div class=\"card\"><h2>").append(fieldsAndLabels[i + 1])
          .append("</h2><p data-field=\"").append(fieldsAndLabels[i]).append("\">–</p></div>\n");
    }
    return html.append("</section>\n").toString();
  }

  private static String table(String id, String title, String keyHeading) {
    return "<section>\n<h2>" + title + "</h2>\n<table id=\"" + id + "\"><thead><tr><th>" + keyHeading
        + "</th><th>Calls</th><th>Minutes</th><th>Cost</th></tr></thead><tbody></tbody></table>\n</section>\n";
  }

  private static void head(StringBuilder html, String title, String csrf) {
    html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if (csrf != null) {
      html.append("<meta name=\"csrf-token\" content=\"").append(escape(csrf)).append("\">\n");
    }
    html.append("<title>").append(escape(title)).append(" · Vapi Usage</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/assets/app.css\">\n")
        .append("<script src=\"/assets/app.js\" defer></script>\n</head>\n");
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&':
          out.append("&amp;");
          break;
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '"':
          out.append("&quot;");
          break;
        case '\'':
          out.append("&#39;");
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
  }
}
