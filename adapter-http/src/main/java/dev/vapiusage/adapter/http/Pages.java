package dev.vapiusage.adapter.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Server-rendered HTML of the login page and the dashboard pages, from the JTE templates in {@code
 * src/main/jte} (precompiled at build time into {@code dev.vapiusage.adapter.http.pages}; the
 * engine escapes every output). Pages are plain markup that work under a strict
 * Content-Security-Policy: no inline script or style, only {@code /assets/*}. Their figures, charts
 * and tables are filled by the page script from the JSON API with the page's CSRF token; what the
 * server renders is the structure, the labels and the texts of the seed.
 */
final class Pages {
  static final String CONTENT_TYPE = "text/html; charset=utf-8";

  /** The dashboard pages, their paths and titles. */
  enum Dashboard {
    OVERVIEW("/dashboard", "Overview"),
    USAGE("/dashboard/usage", "Usage"),
    CALLS("/dashboard/calls", "Calls"),
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
      return this != SETTINGS && this != CALLS;
    }
  }

  /**
   * The precompiled templates, found by this class's loader (the module's jar), not the thread's
   * context loader, which in a host application may not see them.
   */
  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, Pages.class.getClassLoader(), "dev.vapiusage.adapter.http.pages");

  private Pages() {}

  static String login(String base, String message) {
    Map<String, Object> params = new HashMap<>();
    params.put("base", base);
    params.put("message", message);
    params.put("assets", assets(base));
    return render("login.jte", params);
  }

  static String dashboard(String base, Dashboard page, Caller caller, boolean canSignOut) {
    Map<String, Object> params = new HashMap<>();
    params.put("base", base);
    params.put("page", page.id());
    params.put("title", page.title);
    params.put("user", caller.userId().value());
    params.put("csrf", caller.csrfToken());
    params.put("canSignOut", canSignOut);
    params.put("assets", assets(base));
    return render("dashboard.jte", params);
  }

  /** The href of every asset the pages load: under the base path, with the file's version. */
  private static Map<String, String> assets(String base) {
    Map<String, String> hrefs = new HashMap<>();
    for (String name : new String[] {"icon.svg", "app.css", Assets.CHART_JS, "app.js"}) {
      hrefs.put(name, Assets.href(base, name));
    }
    return hrefs;
  }

  private static String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput(16384);
    ENGINE.render(template, params, out);
    return out.toString();
  }
}
