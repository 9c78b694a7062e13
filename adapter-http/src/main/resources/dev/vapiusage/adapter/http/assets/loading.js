// Loading the usage with the syncing state, the last-sync line, and the empty and failed states.
import { api, query } from './api.js';
import { body, browserZone, pageName } from './context.js';
import { $, clear, h, loaded } from './dom.js';
import { fmtCount, fmtInstant, setCurrency } from './format.js';
import { callsHref } from './links.js';
import { quietRefresh } from './live.js';
import { PROBLEMS, linkButton, notice } from './notices.js';

/**
 * Shows "Syncing…" while a request runs: the usage API syncs first when the stored data is
 * stale. The note appears only after a short delay, so a quick answer does not flash it.
 */
export function whileBusy(promise, text, delay) {
  // A live refresh shows the new figures when they are there, without flashing a loading state.
  if (quietRefresh()) { return promise; }
  var box = $('busy');
  var content = $('content');
  if (content) { content.setAttribute('aria-busy', 'true'); }
  var timer = box ? window.setTimeout(function () {
    $('busy-text').textContent = text;
    box.hidden = false;
  }, delay) : null;
  function done() {
    window.clearTimeout(timer);
    if (box) { box.hidden = true; }
    if (content) { content.setAttribute('aria-busy', 'false'); }
  }
  return promise.then(function (value) { done(); return value; }, function (error) { done(); throw error; });
}

export var zoneFallback = false;

/** The integration status, then the usage (which may sync first), then the status after it. */
export function loadUsage(params) {
  var explicitZone = !!params.explicitZone;
  params = { startDate: params.startDate, endDate: params.endDate, timezone: params.timezone };
  return api('GET', '/api/vapi/connect').then(function (status) {
    var text = status.connected
      ? 'Syncing with Vapi… fetching your latest calls before showing the numbers.'
      : 'Loading your usage…';
    var request = api('GET', '/api/vapi/usage?' + query(params)).catch(function (error) {
      // A zone this browser knows but the server does not: show UTC rather than nothing.
      if (error.code === 'invalid_timezone' && params.timezone && params.timezone !== 'UTC' && !explicitZone) {
        zoneFallback = true;
        var retry = Object.assign({}, params, { timezone: 'UTC' });
        return api('GET', '/api/vapi/usage?' + query(retry));
      }
      throw error;
    });
    return whileBusy(request, text, status.connected ? 150 : 500).then(function (usage) {
      setCurrency(usage.currency || 'USD');
      if (!status.connected) { return { status: status, usage: usage }; }
      return api('GET', '/api/vapi/connect').then(function (after) { return { status: after, usage: usage }; });
    });
  });
}

export function showSyncLine(status, usage, reload) {
  var line = $('sync-line');
  if (!line) { return; }
  clear(line);
  if (!status.connected && !usage.lastSyncedAt) { return; }
  var when = usage.lastSyncedAt ? 'Last synced ' + fmtInstant(usage.lastSyncedAt) : 'Not synced yet';
  line.appendChild(document.createTextNode(when + (zoneFallback ? ' · days in UTC' : '') + ' '));
  if (status.connected) {
    line.appendChild(h('button', {
      type: 'button', class: 'ghost', id: 'page-sync', text: 'Sync Now',
      onclick: function (event) { syncFromPage(event.currentTarget, reload); }
    }));
  }
}

/** "Sync Now" on a dashboard page: syncs, then shows the page again, or says what went wrong. */
export function syncFromPage(button, reload, zone) {
  var notices = $('notices');
  var old = $('sync-problem');
  if (old) { old.remove(); }
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  var request = whileBusy(api('POST', '/api/vapi/sync', { timezone: zone || browserZone }), 'Syncing with Vapi…', 0);
  request.then(function () {
    reload();
  }, function (error) {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    var problem = PROBLEMS[error.code] || { title: error.message, hints: [] };
    var paragraphs = error.message && error.message !== problem.title ? [error.message] : [];
    var box = notice('error', problem.title, paragraphs, problem.hints,
      [linkButton('Open Settings', '/dashboard/settings#sync', true)], 'sync-problem');
    notices.insertBefore(box, notices.firstChild);
    box.setAttribute('tabindex', '-1');
    box.focus();
    loaded();
  });
}

/**
 * The empty and problem states every dashboard page shares. Answers false when there is nothing
 * to show at all (not connected, nothing ever synced).
 */
export function showState(status, usage, reload, rangeText) {
  var notices = $('notices');
  var content = $('content');
  clear(notices);
  body.classList.remove('state-empty');
  var everSynced = !!usage.lastSyncedAt || usage.totals.calls > 0;

  if (!status.connected && !everSynced) {
    body.classList.add('state-empty');
    content.hidden = true;
    document.querySelectorAll('.toolbar').forEach(function (el) { el.hidden = true; });
    notices.appendChild(h('section', { class: 'empty', id: 'empty-not-connected' }, [
      h('div', { class: 'empty-icon', 'aria-hidden': 'true' }, [plugIcon()]),
      h('h2', { text: 'Connect your Vapi account to see your usage' }),
      h('p', { text: 'Your application syncs usage metrics and costs from your Vapi voice agent: minutes used, call count and total costs. Enter your Vapi API key in Settings → Vapi Integration and click "Connect Vapi Account".' }),
      h('div', { class: 'notice-actions' }, [linkButton('Connect Vapi Account', '/dashboard/settings#connect')])
    ]));
    return false;
  }
  content.hidden = false;
  document.querySelectorAll('.toolbar').forEach(function (el) { el.hidden = false; });

  if (!status.connected) {
    notices.appendChild(notice('warning', 'Your Vapi account is not connected',
      ['These numbers are the usage synced until ' + (fmtInstant(usage.lastSyncedAt) || 'it was disconnected') +
        '. Connect your account again to keep them up to date.'],
      null, [linkButton('Connect Vapi Account', '/dashboard/settings#connect', true)], 'notice-disconnected'));
  } else if (status.lastSyncStatus === 'failed') {
    notices.appendChild(failedSyncNotice(status, reload));
  }

  if (usage.stuckCalls > 0) { notices.appendChild(stuckNotice(usage)); }

  var noCalls = usage.totals.calls === 0;
  document.querySelectorAll('[data-needs-calls]').forEach(function (el) { el.hidden = noCalls; });
  // After a failed sync its notice says what to do; "no calls" would only mislead.
  if (noCalls && status.connected && status.lastSyncStatus !== 'failed') {
    var actions = [h('button', {
      type: 'button', class: 'primary', text: 'Sync Now',
      onclick: function (event) { syncFromPage(event.currentTarget, reload); }
    })];
    if (pageName === 'usage') {
      actions.push(h('button', {
        type: 'button', text: 'Change the date range',
        onclick: function () { $('startDate').focus(); }
      }));
    }
    notices.appendChild(h('section', { class: 'empty', id: 'empty-no-calls' }, [
      h('div', { class: 'empty-icon', 'aria-hidden': 'true' }, [chartIcon()]),
      h('h2', { text: 'No calls ' + rangeText }),
      h('p', {
        text: usage.lastSyncedAt
          ? 'Your Vapi account is connected and was last synced ' + fmtInstant(usage.lastSyncedAt) + ', but no call was made in this period.'
          : 'Your Vapi account is connected but has not been synced yet.'
      }),
      h('p', { text: 'Metrics not showing?' }),
      h('ul', {}, PROBLEMS.no_metrics.hints.map(function (hint) { return h('li', { text: hint }); })),
      h('div', { class: 'notice-actions' }, actions)
    ]));
  }
  return true;
}

/** Calls queued or in progress for more than a day: Vapi has likely lost track of them. */
export function stuckNotice(usage) {
  var n = usage.stuckCalls;
  var range = { startDate: usage.startDate, endDate: usage.endDate, timezone: usage.timezone };
  return notice('warning', fmtCount(n) + (n === 1 ? ' call seems stuck' : ' calls seem stuck'),
    [(n === 1 ? 'It has been' : 'They have been') + ' queued or in progress for more than 24 hours. ' +
      (n === 1 ? 'It counts' : 'They count') + ' in the calls below, but ' + (n === 1 ? 'its' : 'their') +
      ' cost may still be missing or change.'],
    null, [
      h('a', { class: 'button secondary', href: callsHref(range, { status: 'in-progress' }), text: 'Calls in progress' }),
      h('a', { class: 'button secondary', href: callsHref(range, { status: 'queued' }), text: 'Queued calls' })
    ], 'notice-stuck');
}

export function failedSyncNotice(status, reload) {
  if (status.lastSyncError === 'invalid_api_key') {
    return notice('error', 'Invalid API key',
      [status.lastSyncedAt
        ? 'Vapi refused the stored key at the last sync, so these numbers may be out of date.'
        : 'Vapi refused the stored key, so no usage could be synced yet.'],
      PROBLEMS.invalid_api_key.hints,
      [linkButton('Connect a new key', '/dashboard/settings#connect')], 'notice-sync-failed');
  }
  return notice('error', 'Failed to sync metrics',
    [status.lastSyncedAt
      ? 'The last sync did not finish. The numbers below are what was stored before it.'
      : 'The first sync did not finish, so no usage is stored yet.'],
    PROBLEMS.sync_failed.hints,
    [h('button', {
      type: 'button', class: 'primary', text: 'Try again',
      onclick: function (event) { syncFromPage(event.currentTarget, reload); }
    }), linkButton('Open Settings', '/dashboard/settings#sync', true)], 'notice-sync-failed');
}

export function showLoadError(error, retry) {
  if (error.status === 401) { return; }
  var notices = $('notices');
  var problem = PROBLEMS[error.code];
  notices.insertBefore(notice('error', 'Your usage could not be loaded',
    [error.message], problem ? problem.hints : null,
    [h('button', { type: 'button', class: 'primary', text: 'Try again', onclick: retry })], 'notice-load-failed'),
  notices.firstChild);
}

export function svgIcon(paths) {
  var ns = 'http://www.w3.org/2000/svg';
  var svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('focusable', 'false');
  paths.forEach(function (d) {
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  });
  return svg;
}
export function plugIcon() {
  return svgIcon(['M9 2a1 1 0 0 1 1 1v4h4V3a1 1 0 1 1 2 0v4h1a1 1 0 0 1 1 1v3a6 6 0 0 1-5 5.9V21a1 1 0 1 1-2 0v-4.1A6 6 0 0 1 6 11V8a1 1 0 0 1 1-1h1V3a1 1 0 0 1 1-1z']);
}
export function chartIcon() {
  return svgIcon(['M4 19h16a1 1 0 1 1 0 2H3a1 1 0 0 1-1-1V4a1 1 0 1 1 2 0v15zm3-3a1 1 0 0 1-1-1v-4a1 1 0 1 1 2 0v4a1 1 0 0 1-1 1zm4 0a1 1 0 0 1-1-1V7a1 1 0 1 1 2 0v8a1 1 0 0 1-1 1zm4 0a1 1 0 0 1-1-1v-6a1 1 0 1 1 2 0v6a1 1 0 0 1-1 1zm4 0a1 1 0 0 1-1-1V9a1 1 0 1 1 2 0v6a1 1 0 0 1-1 1z']);
}
