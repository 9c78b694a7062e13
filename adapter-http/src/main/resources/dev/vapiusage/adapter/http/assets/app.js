// vapi-usage dashboard: the entry module. Plain JavaScript as native ES modules, no build step. The
// server renders each page's structure; these modules read the JSON API with the session cookie
// and the page's CSRF token, then fill in the figures, the charts (Chart.js, served by the same
// server) and the tables. Nothing is fetched from anywhere but this server. Modules import each
// other by relative path, so they load from wherever the pages are mounted.
import { pageName } from './context.js';
import { overviewPage } from './overview.js';
import { usagePage } from './usage.js';
import { callsPage } from './calls.js';
import { billingPage } from './billing.js';
import { settingsPage } from './settings.js';

var pages = { overview: overviewPage, usage: usagePage, calls: callsPage, billing: billingPage, settings: settingsPage };
if (pages[pageName]) { pages[pageName](); }
