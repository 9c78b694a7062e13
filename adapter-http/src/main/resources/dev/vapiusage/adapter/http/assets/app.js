// vapi-usage dashboard: fetches the JSON API with the page's CSRF token and fills the page.
(function () {
  'use strict';
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : null;
  var page = document.body.getAttribute('data-page');

  function api(method, url, body) {
    var headers = { 'Accept': 'application/json' };
    if (csrf) { headers['X-CSRF-Token'] = csrf; }
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    return fetch(url, {
      method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) { throw new Error(json.error || ('HTTP ' + response.status)); }
        return json;
      });
    });
  }

  function say(text, isError) {
    var message = document.getElementById('message');
    if (!message) { return; }
    message.textContent = text || '';
    message.className = 'message' + (isError ? ' error' : '');
  }

  function fill(field, value) {
    document.querySelectorAll('[data-field="' + field + '"]').forEach(function (el) {
      el.textContent = value === null || value === undefined ? '–' : String(value);
    });
  }

  function money(value) { return '$' + Number(value).toFixed(2); }

  function chart(daily) {
    var el = document.getElementById('chart');
    if (!el) { return; }
    el.textContent = '';
    var max = daily.reduce(function (m, d) { return Math.max(m, d.calls); }, 0) || 1;
    daily.forEach(function (d) {
      var bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.height = (100 * d.calls / max) + '%';
      bar.title = d.date + ': ' + d.calls + ' calls, ' + d.minutes + ' min, ' + money(d.cost);
      el.appendChild(bar);
    });
  }

  function rows(tableId, items, cells) {
    var body = document.querySelector('#' + tableId + ' tbody');
    if (!body) { return; }
    body.textContent = '';
    items.forEach(function (item) {
      var tr = document.createElement('tr');
      cells(item).forEach(function (value, i) {
        var td = document.createElement('td');
        if (i > 0) { td.className = 'num'; }
        td.textContent = value === null || value === undefined ? '(none)' : String(value);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function totals(usage) {
    fill('calls', usage.totals.calls);
    fill('minutes', usage.totals.minutes);
    fill('cost', money(usage.totals.cost));
    var synced = document.getElementById('synced');
    if (synced) { synced.textContent = usage.lastSyncedAt ? 'Last synced ' + usage.lastSyncedAt + '.' : 'Not synced yet.'; }
  }

  function groups(usage) {
    [['byAssistant', 'assistantId'], ['byType', 'type'], ['byEndedReason', 'endedReason']].forEach(function (g) {
      rows(g[0], usage[g[0]], function (row) { return [row[g[1]], row.calls, row.minutes, money(row.cost)]; });
    });
  }

  function load(query) {
    return api('GET', '/api/vapi/usage' + (query ? '?' + query : '')).catch(function (e) { say(e.message, true); throw e; });
  }

  function overview() { load().then(function (u) { totals(u); chart(u.daily); }); }

  function usagePage() {
    var form = document.getElementById('range');
    function show() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) { if (value) { params.append(key, value); } });
      load(params.toString()).then(function (u) { say(''); totals(u); chart(u.daily); groups(u); });
    }
    form.addEventListener('submit', function (event) { event.preventDefault(); show(); });
    show();
  }

  function billing() {
    load().then(function (u) {
      fill('cost', money(u.totals.cost));
      fill('calls', u.totals.calls);
      var daysSoFar = u.daily.length;
      var end = new Date(u.endDate + 'T00:00:00Z');
      var daysInMonth = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
      fill('projection', money(daysSoFar ? u.totals.cost / daysSoFar * daysInMonth : 0));
      rows('components', Object.keys(u.costBreakdown), function (k) { return [k, money(u.costBreakdown[k])]; });
      rows('days', u.daily, function (d) { return [d.date, d.calls, money(d.cost)]; });
    });
  }

  function settings() {
    function show(status) {
      Object.keys(status).forEach(function (k) { fill(k, typeof status[k] === 'boolean' ? (status[k] ? 'yes' : 'no') : status[k]); });
    }
    function refresh() { return api('GET', '/api/vapi/connect').then(show).catch(function (e) { say(e.message, true); }); }
    document.getElementById('connect').addEventListener('submit', function (event) {
      event.preventDefault();
      var input = document.getElementById('apiKey');
      say('Verifying the key with Vapi…');
      api('POST', '/api/vapi/connect', { apiKey: input.value })
        .then(function (status) { input.value = ''; show(status); say('Connected.'); })
        .catch(function (e) { say(e.message, true); });
    });
    document.getElementById('sync').addEventListener('click', function () {
      say('Syncing…');
      api('POST', '/api/vapi/sync')
        .then(function (r) { say('Synced ' + r.syncedCalls + ' calls.'); return refresh(); })
        .catch(function (e) { say(e.message, true); refresh(); });
    });
    document.getElementById('disconnect').addEventListener('click', function () {
      api('DELETE', '/api/vapi/connect').then(function (status) { show(status); say('Disconnected.'); })
        .catch(function (e) { say(e.message, true); });
    });
    refresh();
  }

  var pages = { overview: overview, usage: usagePage, billing: billing, settings: settings };
  if (pages[page]) { pages[page](); }
})();
