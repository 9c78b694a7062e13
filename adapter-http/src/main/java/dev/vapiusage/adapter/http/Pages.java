package dev.vapiusage.adapter.http;

import java.util.Locale;

/**
 * Server-rendered HTML of the login page and the dashboard pages. Pages are plain markup that work
 * under a strict Content-Security-Policy: no inline script or style, only {@code /assets/*}. Their
 * figures, charts and tables are filled by {@code app.js} from the JSON API with the page's CSRF
 * token; what the server renders is the structure, the labels and the texts of the seed.
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

    /** The pages with charts load the chart library before the page script. */
    boolean hasCharts() {
      return this != SETTINGS;
    }
  }

  private static final String LOGO =
      "<svg class=\"logo\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">"
          + "<rect x=\"2\" y=\"10\" width=\"3\" height=\"4\" rx=\"1.5\"/><rect x=\"7\" y=\"6\" width=\"3\" height=\"12\" rx=\"1.5\"/>"
          + "<rect x=\"12\" y=\"3\" width=\"3\" height=\"18\" rx=\"1.5\"/><rect x=\"17\" y=\"8\" width=\"3\" height=\"8\" rx=\"1.5\"/></svg>";

  private static final String NOSCRIPT =
      "<noscript><p class=\"notice notice-warning\">The dashboard needs JavaScript to load your usage."
          + " Turn it on for this site and reload the page.</p></noscript>\n";

  private Pages() {}

  static String login(String base, String message) {
    StringBuilder html = new StringBuilder(2048);
    head(html, base, "Sign in", null, false);
    html.append("<body data-page=\"login\" class=\"login-page\">\n<main class=\"login\" id=\"main\">\n")
        .append("<p class=\"brand brand-large\">").append(LOGO).append("<span>Vapi Usage</span></p>\n")
        .append("<h1>Sign in</h1>\n")
        .append("<p class=\"muted\">Use the API token that <code>users create</code> printed for you.</p>\n");
    if (message != null) {
      html.append("<p class=\"notice notice-error\" role=\"alert\" id=\"login-error\">")
          .append(escape(message))
          .append("</p>\n");
    }
    html.append("<form method=\"post\" action=\"").append(escape(base)).append("/login\" class=\"stack\">\n")
        .append("<label for=\"token\">API token</label>\n")
        .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required autofocus")
        .append(message != null ? " aria-invalid=\"true\" aria-describedby=\"login-error\"" : "")
        .append(">\n")
        .append("<button type=\"submit\" class=\"primary\">Sign in</button>\n")
        .append("</form>\n</main>\n</body>\n</html>\n");
    return html.toString();
  }

  static String dashboard(String base, Dashboard page, Caller caller, boolean canSignOut) {
    StringBuilder html = new StringBuilder(12288);
    head(html, base, page.title, caller.csrfToken(), page.hasCharts());
    html.append("<body data-page=\"").append(page.id()).append("\">\n")
        .append("<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n")
        .append("<header class=\"topbar\">\n<div class=\"topbar-inner\">\n")
        .append("<a class=\"brand\" href=\"").append(escape(base)).append(Dashboard.OVERVIEW.path).append("\">")
        .append(LOGO).append("<span>Vapi Usage</span></a>\n")
        .append("<nav>\n<ul class=\"tabs\">\n");
    for (Dashboard link : Dashboard.values()) {
      html.append("<li><a href=\"").append(escape(base)).append(link.path).append('"');
      if (link == page) {
        html.append(" aria-current=\"page\"");
      }
      html.append('>').append(link.title).append("</a></li>\n");
    }
    html.append("</ul>\n</nav>\n<div class=\"account\">\n")
        .append("<span class=\"user\" title=\"Signed in as ")
        .append(escape(caller.userId().value()))
        .append("\"><span class=\"sr-only\">Signed in as </span>")
        .append(escape(caller.userId().value()))
        .append("</span>\n");
    if (canSignOut) {
      html.append("<form method=\"post\" action=\"").append(escape(base)).append("/logout\" class=\"inline\">")
          .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(caller.csrfToken())).append("\">")
          .append("<button type=\"submit\" class=\"ghost\">Sign out</button></form>\n");
    }
    html.append("</div>\n</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    switch (page) {
      case OVERVIEW:
        overview(html, base);
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

  /** The title, the lede filled by the script, the last-sync line, and the live status areas. */
  private static void pageHead(StringBuilder html, String title, String lede) {
    html.append("<div class=\"page-head\">\n<div>\n<h1>").append(title).append("</h1>\n")
        .append("<p class=\"lede\" id=\"lede\">").append(lede).append("</p>\n</div>\n")
        .append("<p class=\"sync-line\" id=\"sync-line\"></p>\n</div>\n")
        .append(NOSCRIPT)
        .append("<div id=\"busy\" class=\"notice notice-info busy\" role=\"status\" aria-live=\"polite\" hidden>")
        .append("<span class=\"spinner\" aria-hidden=\"true\"></span><span id=\"busy-text\">Loading…</span></div>\n")
        .append("<div id=\"notices\" class=\"notices\"></div>\n");
  }

  private static void overview(StringBuilder html, String base) {
    pageHead(html, "Overview", "This month so far");
    html.append("<div id=\"content\" class=\"content\" aria-busy=\"true\">\n")
        .append("<section class=\"cards\" aria-label=\"This month's totals\">\n")
        .append(card("calls", "Calls", true))
        .append(card("minutes", "Minutes", true))
        .append(card("cost", "Cost", true))
        .append("</section>\n")
        .append("<section class=\"panel\" aria-labelledby=\"daily-title\" data-needs-calls>\n")
        .append("<div class=\"panel-head\"><h2 id=\"daily-title\">Calls and minutes per day</h2></div>\n")
        .append(chartBox("daily-chart", "Calls and minutes per day this month", "tall"))
        .append("<details class=\"as-table\" id=\"daily-details\"><summary>Show the numbers per day</summary>\n")
        .append(dailyTable(false))
        .append("</details>\n</section>\n")
        .append("<section class=\"links\" aria-label=\"More\">\n")
        .append("<a class=\"tile\" href=\"").append(escape(base)).append(Dashboard.USAGE.path)
        .append("\"><strong>Usage</strong><span>Any date range, by assistant, call type and ended reason</span></a>\n")
        .append("<a class=\"tile\" href=\"").append(escape(base)).append(Dashboard.BILLING.path)
        .append("\"><strong>Billing</strong><span>Costs by component, by day, and the month-end projection</span></a>\n")
        .append("<a class=\"tile\" href=\"").append(escape(base)).append(Dashboard.SETTINGS.path)
        .append("\"><strong>Settings</strong><span>Vapi Integration: your key, Sync Now, disconnect</span></a>\n")
        .append("</section>\n</div>\n");
  }

  private static void usage(StringBuilder html) {
    pageHead(html, "Usage", "Calls, minutes and cost for the range you pick");
    html.append("<form id=\"range-form\" class=\"panel toolbar\" novalidate aria-label=\"Date range and time zone\">\n")
        .append("<div class=\"field\"><label for=\"startDate\">From</label>")
        .append("<input id=\"startDate\" name=\"startDate\" type=\"date\" required aria-describedby=\"range-error\"></div>\n")
        .append("<div class=\"field\"><label for=\"endDate\">To</label>")
        .append("<input id=\"endDate\" name=\"endDate\" type=\"date\" required aria-describedby=\"range-error\"></div>\n")
        .append("<div class=\"field field-grow\"><label for=\"timezone\">Time zone</label>")
        .append("<select id=\"timezone\" name=\"timezone\" aria-describedby=\"timezone-help range-error\"></select>")
        .append("<span class=\"help\" id=\"timezone-help\">Days start at midnight in this zone.</span></div>\n")
        .append("<div class=\"field field-action\"><button type=\"submit\" class=\"primary\">Show</button></div>\n")
        .append("<div class=\"presets\" role=\"group\" aria-label=\"Quick ranges\">\n")
        .append("<button type=\"button\" class=\"chip\" data-preset=\"this-month\">This month</button>\n")
        .append("<button type=\"button\" class=\"chip\" data-preset=\"last-month\">Last month</button>\n")
        .append("<button type=\"button\" class=\"chip\" data-preset=\"last-7\">Last 7 days</button>\n")
        .append("<button type=\"button\" class=\"chip\" data-preset=\"last-30\">Last 30 days</button>\n")
        .append("<button type=\"button\" class=\"chip\" data-preset=\"last-90\">Last 90 days</button>\n")
        .append("</div>\n")
        .append("<p id=\"range-error\" class=\"field-error\" role=\"alert\"></p>\n")
        .append("</form>\n");
    html.append("<div id=\"content\" class=\"content\" aria-busy=\"true\">\n")
        .append("<section class=\"cards\" aria-label=\"Totals for the range\">\n")
        .append(card("calls", "Calls", false))
        .append(card("minutes", "Minutes", false))
        .append(card("cost", "Cost", false))
        .append(figureCard("minutes-per-call", "Average minutes per call"))
        .append("</section>\n")
        .append("<section class=\"panel\" aria-labelledby=\"daily-title\" data-needs-calls>\n")
        .append("<div class=\"panel-head\"><h2 id=\"daily-title\">Calls and minutes per day</h2></div>\n")
        .append(chartBox("daily-chart", "Calls and minutes per day", "tall"))
        .append("<details class=\"as-table\" id=\"daily-details\"><summary>Show the numbers per day</summary>\n")
        .append(dailyTable(false))
        .append("</details>\n</section>\n")
        .append("<div class=\"breakdowns\" data-needs-calls>\n")
        .append("<fieldset class=\"segmented\" id=\"breakdown-metric\">\n")
        .append("<legend>Breakdown charts show</legend>\n")
        .append(radio("metric-calls", "metric", "calls", "Calls", true))
        .append(radio("metric-minutes", "metric", "minutes", "Minutes", false))
        .append(radio("metric-cost", "metric", "cost", "Cost", false))
        .append("</fieldset>\n")
        .append(breakdown("byAssistant", "By assistant", "Assistant"))
        .append(breakdown("byType", "By call type", "Call type"))
        .append(breakdown("byEndedReason", "By ended reason", "Ended reason"))
        .append("</div>\n</div>\n");
  }

  private static void billing(StringBuilder html) {
    pageHead(html, "Billing", "Costs this month so far, in US dollars");
    html.append("<form id=\"month-form\" class=\"panel toolbar\" aria-label=\"Month\">\n")
        .append("<div class=\"field\"><label for=\"month\">Month</label><select id=\"month\" name=\"month\"></select></div>\n")
        .append("<p class=\"help toolbar-note\" id=\"zone-note\"></p>\n")
        .append("</form>\n");
    html.append("<div id=\"content\" class=\"content\" aria-busy=\"true\">\n")
        .append("<section class=\"cards\" aria-label=\"Costs\">\n")
        .append("<article class=\"card card-accent\"><h2 id=\"cost-label\">Month to date</h2>")
        .append("<p class=\"figure\"><data data-total=\"cost\">–</data></p>")
        .append("<p class=\"card-note\" id=\"cost-note\"></p></article>\n")
        .append("<article class=\"card\"><h2 id=\"projection-label\">Projected month end</h2>")
        .append("<p class=\"figure\"><data data-figure=\"projection\">–</data></p>")
        .append("<p class=\"card-note\" id=\"projection-note\"></p></article>\n")
        .append("<article class=\"card\"><h2 id=\"per-minute-label\">Cost per minute</h2>")
        .append("<p class=\"figure\"><data data-figure=\"cost-per-minute\">–</data></p>")
        .append("<p class=\"card-note\" id=\"per-minute-note\"></p></article>\n")
        .append("<article class=\"card\"><h2 id=\"per-call-label\">Cost per call</h2>")
        .append("<p class=\"figure\"><data data-figure=\"cost-per-call\">–</data></p>")
        .append("<p class=\"card-note\" id=\"per-call-note\"></p></article>\n")
        .append("</section>\n")
        .append("<section class=\"panel\" aria-labelledby=\"components-title\" data-needs-calls>\n")
        .append("<div class=\"panel-head\"><h2 id=\"components-title\">Cost by component</h2></div>\n")
        .append("<div class=\"split\">\n")
        .append(chartBox("components-chart", "Cost by component", "square"))
        .append("<div class=\"table-wrap\"><table id=\"components-table\" class=\"data\">")
        .append("<caption class=\"sr-only\">Cost by component</caption>")
        .append("<thead><tr><th scope=\"col\">Component</th><th scope=\"col\" class=\"num\">Cost</th>")
        .append("<th scope=\"col\" class=\"num\">Share</th></tr></thead><tbody></tbody>")
        .append("<tfoot><tr><th scope=\"row\">Total of the components</th><td class=\"num\" id=\"components-total\"></td><td></td></tr></tfoot>")
        .append("</table></div>\n</div>\n")
        .append("<p class=\"help\" id=\"components-note\"></p>\n")
        .append("</section>\n")
        .append("<section class=\"panel\" aria-labelledby=\"days-title\" data-needs-calls>\n")
        .append("<div class=\"panel-head\"><h2 id=\"days-title\">Cost per day</h2></div>\n")
        .append(chartBox("days-chart", "Cost per day and the running total", "tall"))
        .append("<details class=\"as-table\" id=\"daily-details\"><summary>Show the cost per day</summary>\n")
        .append(dailyTable(true))
        .append("</details>\n</section>\n</div>\n");
  }

  private static void settings(StringBuilder html, String csrf) {
    html.append("<div class=\"page-head\">\n<div>\n<h1>Settings</h1>\n")
        .append("<p class=\"lede\">Connect your Vapi account to sync usage metrics and costs from your voice agents.</p>\n")
        .append("</div>\n</div>\n")
        .append(NOSCRIPT);
    html.append("<section class=\"panel\" id=\"integration\" aria-labelledby=\"integration-title\">\n")
        .append("<div class=\"panel-head\"><h2 id=\"integration-title\">Vapi Integration</h2>")
        .append("<span class=\"badge\" id=\"connection-state\" role=\"status\">Checking…</span></div>\n")
        .append("<dl class=\"facts\" id=\"connection-facts\" hidden>\n")
        .append("<div><dt>API key</dt><dd id=\"key-hint\">–</dd></div>\n")
        .append("<div><dt>Connected since</dt><dd id=\"connected-at\">–</dd></div>\n")
        .append("</dl>\n")
        .append("<p class=\"help\" id=\"security-note\">Your key is verified with Vapi, then stored encrypted (AES-256-GCM)."
            + " It is never shown again: only its last four characters.</p>\n")
        .append("<form id=\"connect-form\" class=\"connect\" novalidate>\n")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">\n")
        .append("<h3 id=\"connect-title\">Connect your account</h3>\n")
        .append("<ol class=\"steps\" id=\"connect-steps\">\n")
        .append("<li>Log in to your Vapi Dashboard (dashboard.vapi.ai).</li>\n")
        .append("<li>Go to Settings → API Keys.</li>\n")
        .append("<li>Copy your private API key and paste it here.</li>\n")
        .append("</ol>\n")
        .append("<label for=\"apiKey\">Vapi API key</label>\n")
        .append("<div class=\"input-row\">\n")
        .append("<input id=\"apiKey\" name=\"apiKey\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\"")
        .append(" required maxlength=\"512\" aria-describedby=\"apiKey-help connect-error\">\n")
        .append("<button type=\"submit\" class=\"primary\" id=\"connect-button\">Connect Vapi Account</button>\n")
        .append("</div>\n")
        .append("<p class=\"help\" id=\"apiKey-help\">Your account will be verified and connected.</p>\n")
        .append("<div id=\"connect-error\" class=\"inline-problem\" role=\"alert\"></div>\n")
        .append("<p id=\"connect-result\" class=\"inline-result\" role=\"status\"></p>\n")
        .append("</form>\n</section>\n");
    html.append("<section class=\"panel\" id=\"sync\" aria-labelledby=\"sync-title\">\n")
        .append("<div class=\"panel-head\"><h2 id=\"sync-title\">Sync</h2></div>\n")
        .append("<p>Metrics are automatically synced when you view the dashboard. Click \"Sync Now\" to fetch"
            + " the latest calls, minutes and costs from Vapi right away.</p>\n")
        .append("<dl class=\"facts\">\n")
        .append("<div><dt>Last sync</dt><dd id=\"last-synced\">–</dd></div>\n")
        .append("<div><dt>Outcome</dt><dd id=\"last-outcome\">–</dd></div>\n")
        .append("</dl>\n")
        .append("<div class=\"sync-actions\">\n")
        .append("<button type=\"button\" class=\"primary\" id=\"sync-now\" aria-describedby=\"sync-help\">Sync Now</button>\n")
        .append("<div class=\"progress\" id=\"sync-progress\" hidden><progress aria-label=\"Sync progress\"></progress>")
        .append("<span id=\"sync-elapsed\">Syncing…</span></div>\n")
        .append("</div>\n")
        .append("<p class=\"help\" id=\"sync-help\"></p>\n")
        .append("<div id=\"sync-error\" class=\"inline-problem\" role=\"alert\"></div>\n")
        .append("<p id=\"sync-result\" class=\"inline-result\" role=\"status\"></p>\n")
        .append("</section>\n");
    html.append("<section class=\"panel panel-danger\" id=\"disconnect-panel\" aria-labelledby=\"disconnect-title\" hidden>\n")
        .append("<div class=\"panel-head\"><h2 id=\"disconnect-title\">Disconnect</h2></div>\n")
        .append("<p>Deletes the stored key and stops syncing. The usage synced so far stays on your dashboard.</p>\n")
        .append("<button type=\"button\" class=\"danger\" id=\"disconnect\">Disconnect</button>\n")
        .append("<div id=\"disconnect-error\" class=\"inline-problem\" role=\"alert\"></div>\n")
        .append("</section>\n");
    html.append("<dialog id=\"confirm-disconnect\" aria-labelledby=\"confirm-title\" aria-describedby=\"confirm-text\">\n")
        .append("<form method=\"dialog\">\n")
        .append("<h2 id=\"confirm-title\">Disconnect your Vapi account?</h2>\n")
        .append("<p id=\"confirm-text\">The stored key is deleted and syncing stops. The usage synced so far stays."
            + " To connect again you will need to enter a key again.</p>\n")
        .append("<div class=\"dialog-actions\">\n")
        .append("<button type=\"submit\" value=\"cancel\" class=\"ghost\" id=\"confirm-cancel\" autofocus>Cancel</button>\n")
        .append("<button type=\"submit\" value=\"disconnect\" class=\"danger\" id=\"confirm-yes\">Disconnect</button>\n")
        .append("</div>\n</form>\n</dialog>\n");
  }

  private static String card(String field, String title, boolean withDelta) {
    String label = "label-" + field;
    return "<article class=\"card\"><h2 id=\"" + label + "\">" + title + "</h2>"
        + "<p class=\"figure\"><data data-total=\"" + field + "\">–</data></p>"
        + (withDelta ? "<p class=\"delta\" data-delta=\"" + field + "\"></p>" : "")
        + "</article>\n";
  }

  private static String figureCard(String field, String title) {
    String label = "label-" + field;
    return "<article class=\"card\"><h2 id=\"" + label + "\">" + title + "</h2>"
        + "<p class=\"figure\"><data data-figure=\"" + field + "\">–</data></p>"
        + "</article>\n";
  }

  private static String chartBox(String id, String label, String size) {
    return "<div class=\"chart-box chart-" + size + "\"><canvas id=\"" + id + "\" role=\"img\" aria-label=\""
        + escape(label) + "\"><p>" + escape(label) + ": see the table.</p></canvas></div>\n";
  }

  private static String dailyTable(boolean costFirst) {
    StringBuilder html =
        new StringBuilder("<div class=\"table-wrap\"><table class=\"data\" id=\"daily-table\">")
            .append("<caption class=\"sr-only\">Per day</caption><thead><tr><th scope=\"col\">Date</th>");
    if (costFirst) {
      html.append("<th scope=\"col\" class=\"num\">Cost</th><th scope=\"col\" class=\"num\">Running total</th>")
          .append("<th scope=\"col\" class=\"num optional\">Calls</th><th scope=\"col\" class=\"num optional\">Minutes</th>");
    } else {
      html.append("<th scope=\"col\" class=\"num\">Calls</th><th scope=\"col\" class=\"num\">Minutes</th>")
          .append("<th scope=\"col\" class=\"num\">Cost</th>");
    }
    return html.append("</tr></thead><tbody></tbody></table></div>\n").toString();
  }

  private static String radio(String id, String name, String value, String label, boolean checked) {
    return "<input type=\"radio\" id=\"" + id + "\" name=\"" + name + "\" value=\"" + value + "\""
        + (checked ? " checked" : "") + "><label for=\"" + id + "\">" + label + "</label>\n";
  }

  private static String breakdown(String id, String title, String keyHeading) {
    String titleId = id + "-title";
    return "<section class=\"panel\" id=\"" + id + "\" aria-labelledby=\"" + titleId + "\">\n"
        + "<div class=\"panel-head\"><h2 id=\"" + titleId + "\">" + title + "</h2>"
        + "<span class=\"panel-note\" id=\"" + id + "-count\"></span></div>\n"
        + "<div class=\"split\">\n"
        + chartBox(id + "-chart", title, "auto")
        + "<div class=\"table-wrap\"><table class=\"data sortable\" id=\"" + id + "-table\">"
        + "<caption class=\"sr-only\">" + title + ". Select a column heading to sort.</caption><thead><tr>"
        + sortHeader("key", keyHeading, false)
        + sortHeader("calls", "Calls", true)
        + sortHeader("minutes", "Minutes", true)
        + sortHeader("cost", "Cost", true)
        + "</tr></thead><tbody></tbody></table></div>\n</div>\n</section>\n";
  }

  private static String sortHeader(String key, String label, boolean numeric) {
    return "<th scope=\"col\"" + (numeric ? " class=\"num\"" : "") + (key.equals("cost") ? " aria-sort=\"descending\"" : "")
        + "><button type=\"button\" class=\"sort\" data-sort=\"" + key + "\">" + label
        + "<span class=\"sort-icon\" aria-hidden=\"true\"></span></button></th>";
  }

  private static void head(StringBuilder html, String base, String title, String csrf, boolean charts) {
    html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"color-scheme\" content=\"light\">\n");
    if (csrf != null) {
      html.append("<meta name=\"csrf-token\" content=\"").append(escape(csrf)).append("\">\n");
    }
    // Where the routes are mounted ("" standalone, e.g. "/admin/vapi" in a host): the script's
    // requests and links follow it.
    html.append("<meta name=\"vapi-usage-base\" content=\"").append(escape(base)).append("\">\n");
    String assets = escape(base) + "/assets/";
    html.append("<title>").append(escape(title)).append(" · Vapi Usage</title>\n")
        .append("<link rel=\"icon\" href=\"").append(assets).append("icon.svg\" type=\"image/svg+xml\">\n")
        .append("<link rel=\"stylesheet\" href=\"").append(assets).append("app.css\">\n");
    if (csrf != null) {
      // Deferred scripts run in order: the chart library is there before the page script.
      if (charts) {
        html.append("<script src=\"").append(assets).append(Assets.CHART_JS).append("\" defer></script>\n");
      }
      html.append("<script src=\"").append(assets).append("app.js\" defer></script>\n");
    }
    html.append("</head>\n");
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
