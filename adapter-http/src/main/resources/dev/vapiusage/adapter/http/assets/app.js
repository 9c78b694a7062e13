// vapi-usage dashboard. Plain JavaScript in one file, no build step. The server renders each
// page's structure; this script reads the JSON API with the session cookie and the page's CSRF
// token, then fills in the figures, the charts (Chart.js, served by the same server) and the
// tables. Nothing is fetched from anywhere but this server.
(function () {
  'use strict';

  var body = document.body;
  var pageName = body.getAttribute('data-page');
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : null;
  // The path the routes are mounted under ('' standalone, '/admin/vapi' inside a host application).
  var baseMeta = document.querySelector('meta[name="vapi-usage-base"]');
  var basePath = baseMeta ? baseMeta.getAttribute('content') : '';
  var reducedMotion = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  var browserZone = (function () {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    } catch (e) {
      return 'UTC';
    }
  })();

  // ---------------------------------------------------------------- the JSON API

  function ApiError(status, code, message) {
    this.status = status;
    this.code = code;
    this.message = message;
  }

  function api(method, url, payload) {
    var headers = { Accept: 'application/json' };
    if (csrf) { headers['X-CSRF-Token'] = csrf; }
    var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(payload);
    }
    return fetch(basePath + url, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.status === 401) {
          // The session ended: the page itself now redirects to the sign-in page.
          window.location.reload();
          throw new ApiError(401, 'unauthorized', 'Your session has ended. Sign in again.');
        }
        if (!response.ok) {
          throw new ApiError(response.status, json.code || 'http_' + response.status,
            json.error || 'The server answered with status ' + response.status + '.');
        }
        return json;
      });
    }, function () {
      throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
    });
  }

  function query(params) {
    var search = new URLSearchParams();
    Object.keys(params).forEach(function (key) {
      if (params[key]) { search.append(key, params[key]); }
    });
    return search.toString();
  }

  // ---------------------------------------------------------------- formatting

  var counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  var minutesFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 0, maximumFractionDigits: 1 });
  var percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
  var currency = 'USD';

  function fmtCount(n) { return counts.format(n); }
  function fmtMinutes(n) { return minutesFormat.format(n); }
  function fmtPercent(fraction) { return percentFormat.format(fraction); }

  /** Money with cents; amounts under a cent keep up to four decimals, since Vapi bills fractions of a cent. */
  function fmtMoney(n, maxDigits) {
    var max = maxDigits !== undefined ? maxDigits : (n === 0 || Math.abs(n) >= 0.01 ? 2 : 4);
    try {
      return new Intl.NumberFormat(undefined, {
        style: 'currency', currency: currency, minimumFractionDigits: 2, maximumFractionDigits: Math.max(2, max)
      }).format(n);
    } catch (e) {
      return n.toFixed(Math.max(2, max)) + ' ' + currency;
    }
  }

  function parseYmd(text) {
    var parts = text.split('-');
    return new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
  }
  function ymd(date) { return date.toISOString().slice(0, 10); }
  function addDays(text, days) {
    var date = parseYmd(text);
    date.setUTCDate(date.getUTCDate() + days);
    return ymd(date);
  }
  function firstOfMonth(text) { return text.slice(0, 8) + '01'; }
  function addMonths(text, months) {
    var date = parseYmd(text);
    return ymd(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
  }
  function lastOfMonth(text) {
    var date = parseYmd(text);
    return ymd(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
  }
  function daysInclusive(start, end) { return Math.round((parseYmd(end) - parseYmd(start)) / 86400000) + 1; }

  var dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  var shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  var weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  var weekdayNoYearFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  var monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

  function fmtDate(text) { return dayFormat.format(parseYmd(text)); }
  function fmtShortDate(text) { return shortDayFormat.format(parseYmd(text)); }
  function fmtWeekday(text) { return weekdayFormat.format(parseYmd(text)); }
  /** A table row's day: without the year when every row is in the same year, which the page already says. */
  function fmtRowDay(text, daily) {
    var sameYear = daily.length > 0 && daily[0].date.slice(0, 4) === daily[daily.length - 1].date.slice(0, 4);
    return (sameYear ? weekdayNoYearFormat : weekdayFormat).format(parseYmd(text));
  }
  function fmtMonth(text) { return monthFormat.format(parseYmd(text)); }
  function fmtRange(start, end) {
    if (start === end) { return fmtDate(start); }
    if (typeof dayFormat.formatRange === 'function') {
      return dayFormat.formatRange(parseYmd(start), parseYmd(end));
    }
    return fmtDate(start) + ' – ' + fmtDate(end);
  }
  function fmtInstant(iso, zone) {
    if (!iso) { return null; }
    var options = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' };
    try {
      options.timeZone = zone || browserZone;
      return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
    } catch (e) {
      options.timeZone = 'UTC';
      return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
    }
  }

  var TYPE_LABELS = {
    inboundPhoneCall: 'Inbound phone call',
    outboundPhoneCall: 'Outbound phone call',
    webCall: 'Web call',
    'vapi.websocketCall': 'WebSocket call'
  };
  var NONE_LABELS = { byAssistant: 'No assistant', byType: 'No call type', byEndedReason: 'No ended reason yet' };
  var KEY_FIELDS = { byAssistant: 'assistantId', byType: 'type', byEndedReason: 'endedReason' };

  function humanize(text) {
    var words = String(text).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_.]+/g, ' ').trim().toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  function groupLabel(group, key) {
    if (key === null || key === undefined) { return NONE_LABELS[group]; }
    if (group === 'byType') { return TYPE_LABELS[key] || humanize(key); }
    if (group === 'byEndedReason') { return humanize(key); }
    return key;
  }
  function shorten(text, max) {
    return text.length <= max ? text : text.slice(0, Math.ceil(max / 2) - 1) + '…' + text.slice(text.length - Math.floor(max / 2) + 1);
  }

  // ---------------------------------------------------------------- DOM helpers

  function $(id) { return document.getElementById(id); }

  function h(tag, attributes, children) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === 'text') { el.textContent = value; }
      else if (name === 'class') { el.className = value; }
      else if (name.indexOf('on') === 0) { el.addEventListener(name.slice(2), value); }
      else { el.setAttribute(name, value === true ? '' : value); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) { return; }
      el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return el;
  }

  function clear(el) { while (el && el.firstChild) { el.removeChild(el.firstChild); } }

  /** Counts finished renders on the body's data-loaded attribute: tests wait for it to change. */
  var loads = 0;
  function loaded() {
    loads += 1;
    body.setAttribute('data-loaded', String(loads));
  }

  /** A figure: the exact number as the data element's value, the rounded one as its text. */
  function setFigure(selector, value, text, exact) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (value === null || value === undefined) {
        el.removeAttribute('value');
        el.textContent = '–';
        el.removeAttribute('title');
        return;
      }
      el.setAttribute('value', String(value));
      el.textContent = text;
      if (exact) { el.setAttribute('title', exact); } else { el.removeAttribute('title'); }
    });
  }

  function fillTotals(usage) {
    var t = usage.totals;
    setFigure('[data-total="calls"]', t.calls, fmtCount(t.calls));
    setFigure('[data-total="minutes"]', t.minutes, fmtMinutes(t.minutes), t.minutes + ' minutes');
    setFigure('[data-total="cost"]', t.cost, fmtMoney(t.cost), '$' + t.cost + ' exactly');
  }

  // ---------------------------------------------------------------- problems and hints (from the seed)

  var PROBLEMS = {
    invalid_api_key: {
      title: 'Invalid API key',
      hints: ['Verify your API key in Vapi dashboard', 'Make sure you copied the full key', 'Check that the key hasn\'t expired']
    },
    sync_failed: {
      title: 'Failed to sync metrics',
      hints: ['Check your internet connection', 'Verify Vapi API is accessible', 'Check server logs for detailed error messages']
    },
    vapi_unavailable: {
      title: 'Vapi could not be reached',
      hints: ['Check your internet connection', 'Verify Vapi API is accessible', 'Try again in a minute']
    },
    no_metrics: {
      title: 'Metrics not showing',
      hints: ['Click "Sync Now" to manually sync', 'Check that your Vapi account has usage data', 'Verify the date range is correct']
    },
    sync_in_progress: {
      title: 'A sync is already running',
      hints: ['The background sync or another tab started it. Wait a moment, then look again.']
    },
    not_connected: { title: 'Your Vapi account is not connected', hints: ['Connect it with your API key first.'] },
    rate_limited: { title: 'Too many attempts', hints: ['Wait a minute, then try again.'] },
    network: { title: 'The server could not be reached', hints: ['Check your connection and try again.'] }
  };

  /** The parts of a problem box: its title, the server's sentence when it adds something, and the hints. */
  function problemParts(code, message) {
    var known = PROBLEMS[code];
    var title = known ? known.title : (message || 'Something went wrong');
    var parts = [h('strong', { text: title })];
    if (message && message !== title) { parts.push(h('p', { text: message })); }
    if (known) {
      parts.push(h('ul', { 'aria-label': 'What to check' }, known.hints.map(function (hint) { return h('li', { text: hint }); })));
    }
    return parts;
  }

  function showProblem(container, code, message) {
    clear(container);
    problemParts(code, message).forEach(function (part) { container.appendChild(part); });
  }

  function notice(kind, title, paragraphs, hints, actions, id) {
    var parts = [h('h2', { text: title })];
    (paragraphs || []).forEach(function (text) { parts.push(h('p', { text: text })); });
    if (hints && hints.length) {
      parts.push(h('ul', { 'aria-label': 'What to check' }, hints.map(function (hint) { return h('li', { text: hint }); })));
    }
    if (actions && actions.length) { parts.push(h('div', { class: 'notice-actions' }, actions)); }
    return h('section', { class: 'notice notice-' + kind, id: id, role: kind === 'error' ? 'alert' : null }, parts);
  }

  function linkButton(text, href, secondary) {
    return h('a', { class: 'button' + (secondary ? ' secondary' : ''), href: basePath + href, text: text });
  }

  // ---------------------------------------------------------------- loading, with the syncing state

  /**
   * Shows "Syncing…" while a request runs: the usage API syncs first when the stored data is
   * stale. The note appears only after a short delay, so a quick answer does not flash it.
   */
  function whileBusy(promise, text, delay) {
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

  var zoneFallback = false;

  /** The integration status, then the usage (which may sync first), then the status after it. */
  function loadUsage(params) {
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
        currency = usage.currency || 'USD';
        if (!status.connected) { return { status: status, usage: usage }; }
        return api('GET', '/api/vapi/connect').then(function (after) { return { status: after, usage: usage }; });
      });
    });
  }

  function showSyncLine(status, usage, reload) {
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
  function syncFromPage(button, reload) {
    var notices = $('notices');
    var old = $('sync-problem');
    if (old) { old.remove(); }
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    var request = whileBusy(api('POST', '/api/vapi/sync'), 'Syncing with Vapi…', 0);
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
  function showState(status, usage, reload, rangeText) {
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

  function failedSyncNotice(status, reload) {
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

  function showLoadError(error, retry) {
    if (error.status === 401) { return; }
    var notices = $('notices');
    var problem = PROBLEMS[error.code];
    notices.insertBefore(notice('error', 'Your usage could not be loaded',
      [error.message], problem ? problem.hints : null,
      [h('button', { type: 'button', class: 'primary', text: 'Try again', onclick: retry })], 'notice-load-failed'),
    notices.firstChild);
  }

  function svgIcon(paths) {
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
  function plugIcon() {
    return svgIcon(['M9 2a1 1 0 0 1 1 1v4h4V3a1 1 0 1 1 2 0v4h1a1 1 0 0 1 1 1v3a6 6 0 0 1-5 5.9V21a1 1 0 1 1-2 0v-4.1A6 6 0 0 1 6 11V8a1 1 0 0 1 1-1h1V3a1 1 0 0 1 1-1z']);
  }
  function chartIcon() {
    return svgIcon(['M4 19h16a1 1 0 1 1 0 2H3a1 1 0 0 1-1-1V4a1 1 0 1 1 2 0v15zm3-3a1 1 0 0 1-1-1v-4a1 1 0 1 1 2 0v4a1 1 0 0 1-1 1zm4 0a1 1 0 0 1-1-1V7a1 1 0 1 1 2 0v8a1 1 0 0 1-1 1zm4 0a1 1 0 0 1-1-1v-6a1 1 0 1 1 2 0v6a1 1 0 0 1-1 1zm4 0a1 1 0 0 1-1-1V9a1 1 0 1 1 2 0v6a1 1 0 0 1-1 1z']);
  }

  // ---------------------------------------------------------------- charts

  var COLORS = { calls: '#3b5bdb', minutes: '#0b7285', cost: '#c2410c', projection: '#868e96' };
  var SERIES = ['#3b5bdb', '#0b7285', '#d9480f', '#9c36b5', '#2b8a3e', '#e67700', '#1971c2', '#c2255c', '#5c940d', '#868e96'];
  var charts = {};

  function chartsAvailable() { return typeof window.Chart === 'function'; }

  function setUpCharts() {
    if (!chartsAvailable()) {
      // Without the chart library the numbers are still there, in the tables.
      body.classList.add('no-charts');
      document.querySelectorAll('details.as-table').forEach(function (el) { el.open = true; });
      return;
    }
    var Chart = window.Chart;
    Chart.defaults.font.family = window.getComputedStyle(body).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.color = '#5b6475';
    Chart.defaults.borderColor = '#e6e9ef';
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
    Chart.defaults.plugins.legend.labels.boxHeight = 12;
    // The legend lists the series in their own order, whatever order they are drawn in.
    Chart.defaults.plugins.legend.labels.sort = function (a, b) { return a.datasetIndex - b.datasetIndex; };
    Chart.defaults.plugins.tooltip.backgroundColor = '#1b2130';
    Chart.defaults.plugins.tooltip.padding = 10;
  }

  function options(extra) {
    var base = { responsive: true, maintainAspectRatio: false, animation: reducedMotion ? false : { duration: 350 } };
    return Object.assign(base, extra);
  }

  function draw(id, config, summary) {
    var canvas = $(id);
    if (!canvas) { return; }
    if (summary) {
      canvas.setAttribute('aria-label', summary);
      clear(canvas);
      canvas.appendChild(h('p', { text: summary }));
    }
    if (!chartsAvailable()) { return; }
    if (charts[id]) { charts[id].destroy(); }
    charts[id] = new window.Chart(canvas, config);
  }

  function compactNumber(value) {
    return new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
  }

  function dailyChart(id, daily, summary) {
    var many = daily.length > 45;
    draw(id, {
      type: 'bar',
      data: {
        labels: daily.map(function (d) { return fmtShortDate(d.date); }),
        datasets: [
          {
            type: 'bar', label: 'Calls', data: daily.map(function (d) { return d.calls; }),
            backgroundColor: 'rgba(59, 91, 219, 0.82)', hoverBackgroundColor: COLORS.calls,
            borderRadius: 3, maxBarThickness: 28, yAxisID: 'y', order: 2
          },
          {
            type: 'line', label: 'Minutes', data: daily.map(function (d) { return d.minutes; }),
            borderColor: COLORS.minutes, backgroundColor: COLORS.minutes, borderWidth: 2,
            pointRadius: many ? 0 : 2.5, pointHoverRadius: 4, cubicInterpolationMode: 'monotone', yAxisID: 'y1', order: 1
          }
        ]
      },
      options: options({
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 14 } },
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Calls' } },
          y1: {
            position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
            title: { display: true, text: 'Minutes' }, ticks: { callback: compactNumber }
          }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              title: function (items) { return fmtWeekday(daily[items[0].dataIndex].date); },
              label: function (item) {
                return item.dataset.label + ': ' + (item.datasetIndex === 0 ? fmtCount(item.parsed.y) : fmtMinutes(item.parsed.y));
              }
            }
          }
        }
      })
    }, summary);
  }

  function dailySummary(usage, what) {
    var busiest = null;
    usage.daily.forEach(function (d) { if (!busiest || d.calls > busiest.calls) { busiest = d; } });
    var text = what + ' from ' + fmtRange(usage.startDate, usage.endDate) + ': ' + fmtCount(usage.totals.calls) +
      ' calls and ' + fmtMinutes(usage.totals.minutes) + ' minutes in total';
    if (busiest && busiest.calls > 0) {
      text += '; the busiest day was ' + fmtDate(busiest.date) + ' with ' + fmtCount(busiest.calls) + ' calls';
    }
    return text + '. The numbers per day are in the table below.';
  }

  function fillDailyTable(daily) {
    var tbody = document.querySelector('#daily-table tbody');
    if (!tbody) { return; }
    clear(tbody);
    daily.forEach(function (d) {
      tbody.appendChild(h('tr', { 'data-date': d.date }, [
        h('th', { scope: 'row', class: 'day', text: fmtRowDay(d.date, daily) }),
        h('td', { class: 'num', 'data-value': d.calls, text: fmtCount(d.calls) }),
        h('td', { class: 'num', 'data-value': d.minutes, text: fmtMinutes(d.minutes) }),
        h('td', { class: 'num', 'data-value': d.cost, text: fmtMoney(d.cost) })
      ]));
    });
  }

  // ---------------------------------------------------------------- sortable tables

  var COLUMN_FORMAT = { calls: fmtCount, minutes: fmtMinutes, cost: fmtMoney };

  function sortableTable(group) {
    var table = $(group + '-table');
    var state = { key: 'cost', dir: 'desc', rows: [] };
    table.querySelectorAll('button.sort').forEach(function (button) {
      button.addEventListener('click', function () {
        var key = button.getAttribute('data-sort');
        if (state.key === key) {
          state.dir = state.dir === 'desc' ? 'asc' : 'desc';
        } else {
          state.key = key;
          state.dir = key === 'key' ? 'asc' : 'desc';
        }
        render();
      });
    });

    function label(row) { return groupLabel(group, row[KEY_FIELDS[group]]); }

    function render() {
      var factor = state.dir === 'asc' ? 1 : -1;
      var rows = state.rows.slice().sort(function (a, b) {
        var result = state.key === 'key'
          ? label(a).localeCompare(label(b), undefined, { numeric: true, sensitivity: 'base' })
          : a[state.key] - b[state.key];
        return result * factor || label(a).localeCompare(label(b));
      });
      table.querySelectorAll('thead th').forEach(function (th) {
        var key = th.querySelector('button.sort').getAttribute('data-sort');
        if (key === state.key) {
          th.setAttribute('aria-sort', state.dir === 'asc' ? 'ascending' : 'descending');
        } else {
          th.removeAttribute('aria-sort');
        }
      });
      var tbody = table.querySelector('tbody');
      clear(tbody);
      rows.forEach(function (row) {
        var key = row[KEY_FIELDS[group]];
        var text = label(row);
        var cells = [h('th', {
          // Ids are cut short with an ellipsis (the whole id is the cell's title); words may wrap.
          scope: 'row', class: (group === 'byAssistant' ? 'key key-id' : 'key') + (key === null || key === undefined ? ' none' : ''),
          title: key === null || key === undefined ? null : key, text: text
        })];
        ['calls', 'minutes', 'cost'].forEach(function (column) {
          cells.push(h('td', { class: 'num', 'data-value': row[column], text: COLUMN_FORMAT[column](row[column]) }));
        });
        tbody.appendChild(h('tr', { 'data-key': key === null || key === undefined ? '' : key }, cells));
      });
    }

    return { show: function (rows) { state.rows = rows; render(); } };
  }

  // ---------------------------------------------------------------- Overview

  function overviewPage() {
    setUpCharts();
    function load() {
      var params = { timezone: browserZone };
      loadUsage(params).then(function (result) {
        var usage = result.usage;
        var range = fmtRange(usage.startDate, usage.endDate);
        $('lede').textContent = 'This month so far: ' + range + ' · time zone ' + usage.timezone;
        showSyncLine(result.status, usage, load);
        if (!showState(result.status, usage, load, 'this month (' + range + ')')) { return null; }
        fillTotals(usage);
        dailyChart('daily-chart', usage.daily, dailySummary(usage, 'Calls and minutes per day'));
        fillDailyTable(usage.daily);
        return previousPeriod(usage);
      }).catch(function (error) { showLoadError(error, load); }).then(loaded);
    }
    load();
  }

  /** The same days of last month: the 1st up to today's day of the month (or its last day). */
  function previousPeriod(usage) {
    var start = addMonths(usage.startDate, -1);
    var day = +usage.endDate.slice(8, 10);
    var end = addDays(start, day - 1);
    if (end > lastOfMonth(start)) { end = lastOfMonth(start); }
    var label = fmtRange(start, end);
    return api('GET', '/api/vapi/usage?' + query({ startDate: start, endDate: end, timezone: usage.timezone }))
      .then(function (previous) {
        showDelta('calls', usage.totals.calls, previous.totals.calls, fmtCount, label);
        showDelta('minutes', usage.totals.minutes, previous.totals.minutes, fmtMinutes, label);
        showDelta('cost', usage.totals.cost, previous.totals.cost, fmtMoney, label);
      }, function () {
        document.querySelectorAll('[data-delta]').forEach(function (el) { el.textContent = ''; });
      });
  }

  function showDelta(field, current, previous, format, label) {
    var el = document.querySelector('[data-delta="' + field + '"]');
    if (!el) { return; }
    clear(el);
    var mark;
    if (current === previous) {
      mark = h('span', { class: 'same', text: 'No change' });
    } else if (previous === 0) {
      mark = h('span', { class: 'up' }, [h('span', { 'aria-hidden': 'true', text: '↑ ' }), 'Up from none']);
    } else {
      var change = (current - previous) / previous;
      var up = change > 0;
      mark = h('span', { class: up ? 'up' : 'down' }, [
        h('span', { 'aria-hidden': 'true', text: up ? '↑ ' : '↓ ' }),
        h('span', { class: 'sr-only', text: up ? 'Up ' : 'Down ' }),
        fmtPercent(Math.abs(change))
      ]);
    }
    el.setAttribute('data-previous', String(previous));
    el.appendChild(mark);
    el.appendChild(document.createTextNode(' vs ' + label + ' (' + format(previous) + ')'));
  }

  // ---------------------------------------------------------------- Usage

  function zoneList() {
    var zones = [];
    try {
      if (typeof Intl.supportedValuesOf === 'function') { zones = Intl.supportedValuesOf('timeZone').slice(); }
    } catch (e) {
      zones = [];
    }
    ['UTC', browserZone].forEach(function (zone) { if (zones.indexOf(zone) < 0) { zones.push(zone); } });
    return zones.sort();
  }

  function fillZones(select, selected) {
    clear(select);
    var zones = zoneList();
    if (zones.indexOf(selected) < 0) { zones.push(selected); }
    var groups = {};
    var order = [];
    zones.forEach(function (zone) {
      var region = zone.indexOf('/') > 0 ? zone.slice(0, zone.indexOf('/')) : 'Other';
      if (!groups[region]) { groups[region] = []; order.push(region); }
      groups[region].push(zone);
    });
    var top = h('optgroup', { label: 'Suggested' }, [
      h('option', { value: browserZone, text: browserZone.replace(/_/g, ' ') + ' (this device)' })
    ]);
    if (browserZone !== 'UTC') { top.appendChild(h('option', { value: 'UTC', text: 'UTC' })); }
    select.appendChild(top);
    order.forEach(function (region) {
      select.appendChild(h('optgroup', { label: region }, groups[region].map(function (zone) {
        return h('option', { value: zone, text: zone.replace(/_/g, ' ') });
      })));
    });
    select.value = selected;
  }

  function usagePage() {
    setUpCharts();
    var form = $('range-form');
    var start = $('startDate');
    var end = $('endDate');
    var zone = $('timezone');
    var rangeError = $('range-error');
    var search = new URLSearchParams(window.location.search);
    var todayByZone = {};
    var last = null;
    var tables = { byAssistant: sortableTable('byAssistant'), byType: sortableTable('byType'), byEndedReason: sortableTable('byEndedReason') };

    fillZones(zone, search.get('timezone') || browserZone);
    start.value = search.get('startDate') || '';
    end.value = search.get('endDate') || '';

    function metric() {
      var checked = document.querySelector('input[name="metric"]:checked');
      return checked ? checked.value : 'calls';
    }

    function fieldError(message, fields) {
      rangeError.textContent = message;
      [start, end, zone].forEach(function (el) { el.removeAttribute('aria-invalid'); });
      (fields || []).forEach(function (el) { el.setAttribute('aria-invalid', 'true'); });
      if (fields && fields.length) { fields[0].focus(); }
    }

    function load() {
      fieldError('', []);
      if (start.value && end.value && start.value > end.value) {
        fieldError('The start date must be on or before the end date.', [start, end]);
        loaded();
        return;
      }
      var params = { startDate: start.value, endDate: end.value, timezone: zone.value || 'UTC', explicitZone: true };
      loadUsage(params).then(function (result) {
        var usage = result.usage;
        last = usage;
        if (!end.value) { todayByZone[usage.timezone] = usage.endDate; }
        start.value = usage.startDate;
        end.value = usage.endDate;
        zone.value = usage.timezone;
        markPreset();
        window.history.replaceState(null, '', '?' + query({ startDate: usage.startDate, endDate: usage.endDate, timezone: usage.timezone }));
        var range = fmtRange(usage.startDate, usage.endDate);
        $('lede').textContent = range + ' · ' + fmtCount(usage.daily.length) + (usage.daily.length === 1 ? ' day' : ' days') + ' · time zone ' + usage.timezone;
        showSyncLine(result.status, usage, load);
        if (!showState(result.status, usage, load, 'from ' + range)) { return; }
        fillTotals(usage);
        var perCall = usage.totals.calls > 0 ? usage.totals.minutes / usage.totals.calls : null;
        setFigure('[data-figure="minutes-per-call"]', perCall, perCall === null ? '–' : fmtMinutes(perCall));
        dailyChart('daily-chart', usage.daily, dailySummary(usage, 'Calls and minutes per day'));
        fillDailyTable(usage.daily);
        Object.keys(tables).forEach(function (group) {
          tables[group].show(usage[group]);
          var count = usage[group].length;
          $(group + '-count').textContent = fmtCount(count) + (count === 1 ? ' group' : ' groups');
        });
        drawBreakdowns();
      }).catch(function (error) {
        if (error.code === 'invalid_timezone') { fieldError(error.message, [zone]); }
        else if (error.code === 'invalid_date') { fieldError(error.message, [start, end]); }
        else if (error.code === 'invalid_range' || error.code === 'range_too_large') {
          fieldError(error.message + (error.code === 'range_too_large' ? ' Pick at most 366 days.' : ''), [start, end]);
        } else { showLoadError(error, load); }
      }).then(loaded);
    }

    function drawBreakdowns() {
      if (!last) { return; }
      ['byAssistant', 'byType', 'byEndedReason'].forEach(function (group) {
        breakdownChart(group, last[group], metric());
      });
    }

    function today() {
      var zoneId = zone.value || 'UTC';
      if (todayByZone[zoneId]) { return Promise.resolve(todayByZone[zoneId]); }
      // The server's today in this zone: the end of its default range.
      return api('GET', '/api/vapi/usage?' + query({ timezone: zoneId })).then(function (usage) {
        todayByZone[zoneId] = usage.endDate;
        return usage.endDate;
      });
    }

    var PRESETS = {
      'this-month': function (t) { return [firstOfMonth(t), t]; },
      'last-month': function (t) { var s = addMonths(t, -1); return [s, lastOfMonth(s)]; },
      'last-7': function (t) { return [addDays(t, -6), t]; },
      'last-30': function (t) { return [addDays(t, -29), t]; },
      'last-90': function (t) { return [addDays(t, -89), t]; }
    };

    function markPreset() {
      var t = todayByZone[zone.value];
      document.querySelectorAll('[data-preset]').forEach(function (button) {
        var range = t ? PRESETS[button.getAttribute('data-preset')](t) : null;
        button.setAttribute('aria-pressed', String(!!range && range[0] === start.value && range[1] === end.value));
      });
    }

    document.querySelectorAll('[data-preset]').forEach(function (button) {
      button.addEventListener('click', function () {
        today().then(function (t) {
          var range = PRESETS[button.getAttribute('data-preset')](t);
          start.value = range[0];
          end.value = range[1];
          load();
        }, function (error) { fieldError(error.message, []); });
      });
    });
    form.addEventListener('submit', function (event) { event.preventDefault(); load(); });
    document.querySelectorAll('input[name="metric"]').forEach(function (radio) {
      radio.addEventListener('change', drawBreakdowns);
    });
    load();
  }

  var METRIC_LABELS = { calls: 'Calls', minutes: 'Minutes', cost: 'Cost' };

  function breakdownChart(group, rows, metric) {
    var sorted = rows.slice().sort(function (a, b) { return b[metric] - a[metric]; });
    // Nine bars at most: a single group left over is shown by name, never folded into "1 other".
    var shown = sorted.length <= 9 ? sorted : sorted.slice(0, 8);
    var rest = sorted.slice(shown.length);
    var labels = shown.map(function (row) { return groupLabel(group, row[KEY_FIELDS[group]]); });
    var values = shown.map(function (row) { return row[metric]; });
    if (rest.length) {
      labels.push(rest.length + ' others');
      values.push(rest.reduce(function (sum, row) { return sum + row[metric]; }, 0));
    }
    var format = COLUMN_FORMAT[metric];
    var canvas = $(group + '-chart');
    canvas.parentNode.style.height = Math.max(140, labels.length * 34 + 46) + 'px';
    var summary = METRIC_LABELS[metric] + ' ' + ($(group + '-title').textContent || '').toLowerCase() + ': ' +
      labels.map(function (label, i) { return label + ' ' + format(values[i]); }).join(', ') + '.';
    draw(group + '-chart', {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [{
          label: METRIC_LABELS[metric], data: values, backgroundColor: COLORS[metric],
          borderRadius: 4, maxBarThickness: 22
        }]
      },
      options: options({
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) { return METRIC_LABELS[metric] + ': ' + format(item.parsed.x); } } }
        },
        scales: {
          x: {
            beginAtZero: true,
            ticks: {
              precision: metric === 'calls' ? 0 : undefined,
              callback: function (value) { return metric === 'cost' ? '$' + compactNumber(value) : compactNumber(value); }
            }
          },
          y: {
            grid: { display: false },
            ticks: {
              autoSkip: false,
              // Evaluated again on every resize, so a phone gets shorter labels than a desktop.
              callback: function (value, index) {
                var max = this.chart.width < 480 ? 18 : 26;
                var label = labels[index];
                // An id keeps both ends, which tell ids apart; words keep their beginning.
                if (group === 'byAssistant' && index < shown.length && shown[index].assistantId) { return shorten(label, max); }
                return label.length <= max ? label : label.slice(0, max - 1) + '…';
              }
            }
          }
        }
      })
    }, summary);
  }

  // ---------------------------------------------------------------- Billing

  var COMPONENTS = [
    ['transport', 'Transport (telephony)'],
    ['stt', 'Speech-to-text (STT)'],
    ['llm', 'Language model (LLM)'],
    ['tts', 'Text-to-speech (TTS)'],
    ['vapi', 'Vapi platform'],
    ['analysis', 'Analysis']
  ];

  function billingPage() {
    setUpCharts();
    var month = $('month');
    var zone = browserZone;
    var today = null;
    var selected = null;

    function fillMonths() {
      if (!today || month.options.length) { return; }
      for (var i = 0; i < 13; i++) {
        var first = addMonths(today, -i);
        month.appendChild(h('option', { value: first, text: fmtMonth(first) + (i === 0 ? ' (this month)' : '') }));
      }
      month.value = selected || firstOfMonth(today);
    }

    function load() {
      var current = !selected || (today && selected === firstOfMonth(today));
      var params = { timezone: zone };
      if (!current) {
        params.startDate = selected;
        params.endDate = lastOfMonth(selected);
      }
      loadUsage(params).then(function (result) {
        var usage = result.usage;
        if (current) { today = usage.endDate; }
        zone = usage.timezone;
        fillMonths();
        var range = fmtRange(usage.startDate, usage.endDate);
        $('lede').textContent = current
          ? 'Costs this month so far: ' + range + ', in ' + (usage.currency === 'USD' ? 'US dollars' : usage.currency)
          : 'Costs in ' + fmtMonth(usage.startDate) + ', in ' + (usage.currency === 'USD' ? 'US dollars' : usage.currency);
        $('zone-note').textContent = 'Days are counted in ' + usage.timezone + '.';
        showSyncLine(result.status, usage, load);
        if (!showState(result.status, usage, load, current ? 'this month (' + range + ')' : 'in ' + fmtMonth(usage.startDate))) { return; }
        showBilling(usage, current);
      }).catch(function (error) { showLoadError(error, load); }).then(loaded);
    }

    month.addEventListener('change', function () {
      selected = month.value;
      load();
    });
    load();
  }

  function showBilling(usage, current) {
    var t = usage.totals;
    var days = usage.daily.length;
    var monthDays = daysInclusive(firstOfMonth(usage.startDate), lastOfMonth(usage.startDate));
    $('cost-label').textContent = current ? 'Month to date' : 'Month total';
    setFigure('[data-total="cost"]', t.cost, fmtMoney(t.cost), '$' + t.cost + ' exactly');
    $('cost-note').textContent = fmtCount(t.calls) + (t.calls === 1 ? ' call' : ' calls') + ' · ' + fmtMinutes(t.minutes) + ' minutes';

    var projection = current && days > 0 ? t.cost / days * monthDays : null;
    setFigure('[data-figure="projection"]', projection, projection === null ? '–' : fmtMoney(projection, 2));
    $('projection-note').textContent = current
      ? 'At ' + fmtMoney(days ? t.cost / days : 0) + ' a day, the average of the ' + fmtCount(days) + (days === 1 ? ' day' : ' days') + ' so far, for all ' + monthDays + ' days'
      : 'The month is over: its total is final.';

    var perMinute = t.minutes > 0 ? t.cost / t.minutes : null;
    setFigure('[data-figure="cost-per-minute"]', perMinute, perMinute === null ? '–' : fmtMoney(perMinute, 4));
    $('per-minute-note').textContent = perMinute === null ? 'No minutes yet' : 'Over ' + fmtMinutes(t.minutes) + ' minutes of calls';
    var perCall = t.calls > 0 ? t.cost / t.calls : null;
    setFigure('[data-figure="cost-per-call"]', perCall, perCall === null ? '–' : fmtMoney(perCall, 4));
    $('per-call-note').textContent = perCall === null ? 'No calls yet' : 'Over ' + fmtCount(t.calls) + (t.calls === 1 ? ' call' : ' calls');

    showComponents(usage);
    showDailyCosts(usage, current, projection, monthDays);
  }

  function showComponents(usage) {
    var breakdown = usage.costBreakdown;
    var sum = COMPONENTS.reduce(function (total, c) { return total + (breakdown[c[0]] || 0); }, 0);
    var tbody = document.querySelector('#components-table tbody');
    clear(tbody);
    COMPONENTS.forEach(function (c, i) {
      var value = breakdown[c[0]] || 0;
      tbody.appendChild(h('tr', { 'data-component': c[0] }, [
        h('th', { scope: 'row' }, [h('span', { class: 'swatch swatch-' + i, 'aria-hidden': 'true' }), c[1]]),
        h('td', { class: 'num', 'data-value': value, text: fmtMoney(value) }),
        h('td', { class: 'num', text: sum > 0 ? fmtPercent(value / sum) : '–' })
      ]));
    });
    $('components-total').textContent = fmtMoney(sum);
    var note = $('components-note');
    var gap = Math.abs(usage.totals.cost - sum);
    note.textContent = gap > 0.000001
      ? 'The components add up to ' + fmtMoney(sum) + '; the calls cost ' + fmtMoney(usage.totals.cost) +
        ' in total. Vapi reports some costs (for example calls still in progress) without a breakdown.'
      : '';
    var summary = 'Cost by component: ' + COMPONENTS.map(function (c) { return c[1] + ' ' + fmtMoney(breakdown[c[0]] || 0); }).join(', ') + '.';
    draw('components-chart', {
      type: 'doughnut',
      data: {
        labels: COMPONENTS.map(function (c) { return c[1]; }),
        datasets: [{
          data: COMPONENTS.map(function (c) { return breakdown[c[0]] || 0; }),
          backgroundColor: SERIES.slice(0, COMPONENTS.length), borderColor: '#fff', borderWidth: 2
        }]
      },
      options: options({
        cutout: '58%',
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.label + ': ' + fmtMoney(item.parsed) + (sum > 0 ? ' (' + fmtPercent(item.parsed / sum) + ')' : '');
              }
            }
          }
        }
      })
    }, summary);
  }

  function showDailyCosts(usage, current, projection, monthDays) {
    var daily = usage.daily;
    var running = 0;
    var cumulative = daily.map(function (d) { running += d.cost; return running; });
    var dates = daily.map(function (d) { return d.date; });
    var projected = [];
    if (current && projection !== null && daily.length < monthDays) {
      // The projection line runs from today's running total to the month-end estimate.
      var perDay = daily.length ? usage.totals.cost / daily.length : 0;
      projected = daily.map(function (d, i) { return i === daily.length - 1 ? running : null; });
      for (var day = daily.length + 1; day <= monthDays; day++) {
        dates.push(addDays(usage.startDate, day - 1));
        projected.push(running + perDay * (day - daily.length));
      }
    }
    var datasets = [
      {
        type: 'bar', label: 'Cost per day', data: daily.map(function (d) { return d.cost; }),
        backgroundColor: 'rgba(194, 65, 12, 0.8)', hoverBackgroundColor: COLORS.cost, borderRadius: 3,
        maxBarThickness: 26, yAxisID: 'y', order: 2
      },
      {
        type: 'line', label: 'Running total', data: cumulative, borderColor: COLORS.calls, backgroundColor: COLORS.calls,
        borderWidth: 2, pointRadius: 0, pointHoverRadius: 4, cubicInterpolationMode: 'monotone', yAxisID: 'y1', order: 1
      }
    ];
    if (projected.length) {
      datasets.push({
        type: 'line', label: 'Projection', data: projected, borderColor: COLORS.projection,
        backgroundColor: COLORS.projection, borderDash: [6, 5], borderWidth: 2, pointRadius: 0,
        pointHoverRadius: 4, yAxisID: 'y1', order: 0, spanGaps: false
      });
    }
    var money = function (value) { return '$' + compactNumber(value); };
    var summary = 'Cost per day from ' + fmtRange(usage.startDate, usage.endDate) + ', ' + fmtMoney(usage.totals.cost) +
      ' in total' + (projection !== null && current ? ', projected ' + fmtMoney(projection, 2) + ' by the end of the month' : '') +
      '. The cost of each day is in the table below.';
    draw('days-chart', {
      type: 'bar',
      data: { labels: dates.map(fmtShortDate), datasets: datasets },
      options: options({
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 14 } },
          y: { beginAtZero: true, title: { display: true, text: 'Per day' }, ticks: { callback: money } },
          y1: {
            position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
            title: { display: true, text: 'Running total' }, ticks: { callback: money }
          }
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            filter: function (item) { return item.raw !== null && item.raw !== undefined; },
            callbacks: {
              title: function (items) { return fmtWeekday(dates[items[0].dataIndex]); },
              label: function (item) { return item.dataset.label + ': ' + fmtMoney(item.parsed.y); }
            }
          }
        }
      })
    }, summary);

    var tbody = document.querySelector('#daily-table tbody');
    clear(tbody);
    daily.forEach(function (d, i) {
      tbody.appendChild(h('tr', { 'data-date': d.date }, [
        h('th', { scope: 'row', class: 'day', text: fmtRowDay(d.date, daily) }),
        h('td', { class: 'num', 'data-value': d.cost, text: fmtMoney(d.cost) }),
        h('td', { class: 'num', text: fmtMoney(cumulative[i]) }),
        h('td', { class: 'num optional', 'data-value': d.calls, text: fmtCount(d.calls) }),
        h('td', { class: 'num optional', 'data-value': d.minutes, text: fmtMinutes(d.minutes) })
      ]));
    });
  }

  // ---------------------------------------------------------------- Settings

  function settingsPage() {
    var form = $('connect-form');
    var input = $('apiKey');
    var connectButton = $('connect-button');
    var connectError = $('connect-error');
    var connectResult = $('connect-result');
    var syncButton = $('sync-now');
    var syncError = $('sync-error');
    var syncResult = $('sync-result');
    var progress = $('sync-progress');
    var elapsed = $('sync-elapsed');
    var disconnectButton = $('disconnect');
    var dialog = $('confirm-disconnect');
    var syncing = false;
    var status = null;

    function outcome(s) {
      if (s.lastSyncStatus === 'completed') { return ['Completed', 'completed']; }
      if (s.lastSyncStatus === 'running') { return ['Running…', 'running']; }
      if (s.lastSyncStatus === 'failed') {
        return [s.lastSyncError === 'invalid_api_key' ? 'Failed: Invalid API key' : 'Failed to sync metrics', 'failed'];
      }
      return ['No sync yet', ''];
    }

    function render(s, fresh) {
      status = s;
      var badge = $('connection-state');
      badge.textContent = s.connected ? 'Connected' : 'Not connected';
      badge.className = 'badge ' + (s.connected ? 'is-connected' : 'is-disconnected');
      $('connection-facts').hidden = !s.connected;
      var hint = (s.keyHint || '').replace(/^…/, '');
      var keyHint = $('key-hint');
      keyHint.textContent = s.connected && hint ? '••••' + hint : '–';
      keyHint.setAttribute('aria-label', s.connected && hint ? 'Key ending in ' + hint.split('').join(' ') : 'No key');
      $('connected-at').textContent = fmtInstant(s.connectedAt) || '–';
      $('connect-title').textContent = s.connected ? 'Replace the key' : 'Connect your account';
      $('connect-steps').hidden = s.connected;
      $('apiKey-help').textContent = s.connected
        ? 'A new key replaces the current one once Vapi accepts it. If Vapi refuses it, the current key stays.'
        : 'Your account will be verified and connected.';
      $('last-synced').textContent = fmtInstant(s.lastSyncedAt) || 'Never';
      var result = outcome(s);
      var outcomeEl = $('last-outcome');
      outcomeEl.textContent = result[0];
      outcomeEl.className = result[1] ? 'outcome-' + result[1] : '';
      syncButton.disabled = !s.connected || syncing;
      $('sync-help').textContent = s.connected ? '' : 'Connect your Vapi account first: syncing needs your API key.';
      $('disconnect-panel').hidden = !s.connected;
      // The last sync's failure, with what to do, unless this visit's own sync just said so.
      if (fresh && s.connected && s.lastSyncStatus === 'failed' && !syncError.firstChild) {
        showProblem(syncError, s.lastSyncError === 'invalid_api_key' ? 'invalid_api_key' : 'sync_failed', null);
      }
      if (!s.connected || s.lastSyncStatus !== 'failed') {
        if (fresh) { clear(syncError); }
      }
    }

    function refresh(fresh) {
      return api('GET', '/api/vapi/connect').then(function (s) { render(s, fresh); }, function (error) {
        if (error.status !== 401) { showProblem(connectError, error.code, error.message); }
      }).then(loaded);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clear(connectError);
      connectResult.textContent = '';
      input.removeAttribute('aria-invalid');
      var key = input.value.trim();
      if (!key) {
        showProblem(connectError, null, 'Enter your Vapi API key.');
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      connectButton.disabled = true;
      connectButton.textContent = 'Verifying…';
      form.setAttribute('aria-busy', 'true');
      api('POST', '/api/vapi/connect', { apiKey: key }).then(function (s) {
        input.value = '';
        render(s, true);
        clear(syncError);
        syncResult.textContent = '';
        connectResult.textContent = 'Connected. Vapi verified your key (ending in ' + (s.keyHint || '').replace(/^…/, '') +
          '). Your usage syncs when you open the dashboard, or click "Sync Now".';
      }, function (error) {
        showProblem(connectError, error.code, error.message);
        if (error.code === 'invalid_api_key' || error.code === 'invalid_request') {
          input.setAttribute('aria-invalid', 'true');
        }
        input.focus();
        input.select();
      }).then(function () {
        connectButton.disabled = false;
        connectButton.textContent = 'Connect Vapi Account';
        form.removeAttribute('aria-busy');
        loaded();
      });
    });

    syncButton.addEventListener('click', function () {
      if (syncing || !status || !status.connected) { return; }
      syncing = true;
      clear(syncError);
      syncResult.textContent = '';
      syncButton.disabled = true;
      syncButton.setAttribute('aria-busy', 'true');
      progress.hidden = false;
      var started = Date.now();
      elapsed.textContent = 'Syncing…';
      var timer = window.setInterval(function () {
        elapsed.textContent = 'Syncing… ' + Math.round((Date.now() - started) / 1000) + ' s';
      }, 1000);
      api('POST', '/api/vapi/sync').then(function (result) {
        syncResult.textContent = 'Sync complete: ' + fmtCount(result.syncedCalls) +
          (result.syncedCalls === 1 ? ' call' : ' calls') + ' from ' + fmtRange(result.startDate, result.endDate) + ' synced.';
      }, function (error) {
        showProblem(syncError, error.code, error.message);
      }).then(function () {
        window.clearInterval(timer);
        syncing = false;
        progress.hidden = true;
        syncButton.removeAttribute('aria-busy');
        return refresh(false);
      });
    });

    disconnectButton.addEventListener('click', function () {
      clear($('disconnect-error'));
      if (typeof dialog.showModal === 'function') {
        dialog.returnValue = '';
        dialog.showModal();
      } else if (window.confirm('Disconnect your Vapi account? The stored key is deleted; synced usage stays.')) {
        disconnect();
      }
    });
    dialog.addEventListener('close', function () {
      if (dialog.returnValue === 'disconnect') { disconnect(); } else { disconnectButton.focus(); }
    });

    function disconnect() {
      disconnectButton.disabled = true;
      api('DELETE', '/api/vapi/connect').then(function (s) {
        render(s, true);
        clear(syncError);
        syncResult.textContent = '';
        connectResult.textContent = 'Disconnected. The stored key was deleted; the usage synced so far stays on your dashboard.';
        input.focus();
      }, function (error) {
        showProblem($('disconnect-error'), error.code, error.message);
      }).then(function () {
        disconnectButton.disabled = false;
        loaded();
      });
    }

    refresh(true).then(function () {
      var target = window.location.hash;
      if (target === '#connect') { input.focus(); }
      else if (target === '#sync') { syncButton.focus(); }
    });
  }

  var pages = { overview: overviewPage, usage: usagePage, billing: billingPage, settings: settingsPage };
  if (pages[pageName]) { pages[pageName](); }
})();
