// Live pages: an EventSource on the API's event stream (GET /api/vapi/events). When the user's data
// changes (a synced or pushed call, a connect, a sync's outcome) the page fetches its figures again
// and shows them in place: no reload, the same range, filters and scroll position, and no loading
// state while it does.
import { basePath } from './context.js';

// Several changes in a burst (a sync storing many calls) make one refresh.
var DEBOUNCE_MS = 250;
var RETRY_MIN_MS = 1000;
var RETRY_MAX_MS = 30000;
var quiet = false;

/** Whether a live refresh is running: the loaders then show no "Syncing…" note or busy state. */
export function quietRefresh() { return quiet; }

/**
 * Runs refresh (which may answer a promise) after each change of the user's data, and once after
 * every reconnect, since a change may have happened while the page was away (a server restart).
 * refresh decides itself when there is nothing to do, e.g. while the user edits a range. The stream
 * opens once firstLoad (the page's own first load, a promise or nothing) has settled: that load
 * may sync, and the change it makes itself needs no second showing.
 */
export function liveRefresh(refresh, firstLoad) {
  if (!window.EventSource) { return; }
  var timer = null;
  var running = false;
  var again = false;
  var connections = 0;
  var retryDelay = RETRY_MIN_MS;

  function due() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, DEBOUNCE_MS);
  }

  function run() {
    timer = null;
    if (running) { again = true; return; }
    // A call's details are open: the table behind them changes once they are closed.
    var dialog = document.querySelector('dialog[open]');
    if (dialog) { dialog.addEventListener('close', due, { once: true }); return; }
    running = true;
    quiet = true;
    Promise.resolve().then(refresh).catch(function () { /* the page shows its own errors */ }).then(function () {
      running = false;
      quiet = false;
      if (again) { again = false; due(); }
    });
  }

  function connect() {
    var source = new EventSource(basePath + '/api/vapi/events');
    var firstOfConnection = true;
    source.addEventListener('open', function () { firstOfConnection = true; });
    source.addEventListener('usage', function () {
      if (firstOfConnection) {
        // Every connection starts with the current version: on the first it only confirms what the
        // page just loaded; on a later one the page may have missed changes while it was away.
        firstOfConnection = false;
        connections += 1;
        retryDelay = RETRY_MIN_MS;
        if (connections > 1) { due(); }
        return;
      }
      due();
    });
    source.addEventListener('error', function () {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gives up for good on an answer that is not a stream (a proxy's 502 while the
        // server restarts, a 429): try again later, more slowly each time.
        source.close();
        window.setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      }
    });
  }

  Promise.resolve(firstLoad).catch(function () { /* shown by the page */ }).then(connect);
}
