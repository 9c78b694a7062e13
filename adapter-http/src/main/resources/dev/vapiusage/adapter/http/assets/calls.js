// The Calls page: the calls of a range and filters, newest first, a page at a time, and one call's
// details in a dialog. The range and filters live in the page's address, so the breakdowns of the
// Usage page and the stuck-calls notice can link to a filtered list.
import { api, query } from './api.js';
import { browserZone } from './context.js';
import { $, clear, h, loaded } from './dom.js';
import { NONE_LABELS, TYPE_LABELS, assistantLabel, assistantTitle, fmtCallTime, fmtCount, fmtInstant, fmtMinutes, fmtMoney, fmtRange, groupLabel, humanize } from './format.js';
import { FILTERS, rangeQuery, setDownloads } from './links.js';
import { liveRefresh, quietRefresh } from './live.js';
import { loadUsage, showLoadError, showState, showSyncLine } from './loading.js';
import { COMPONENT_LABELS } from './tables.js';
import { fillZones } from './zones.js';

/** Vapi's call statuses, for the status filter. */
export var STATUSES = ['queued', 'ringing', 'in-progress', 'forwarding', 'ended'];
export var COST_COMPONENTS = [
  ['transport', 'Transport (telephony)'], ['stt', 'Speech-to-text (STT)'], ['llm', 'Language model (LLM)'],
  ['tts', 'Text-to-speech (TTS)'], ['vapi', 'Vapi platform'], ['analysis', 'Analysis']
];
/** The breakdown of the usage object that lists each filter's values. */
var GROUP_OF = { assistantId: 'byAssistant', type: 'byType', endedReason: 'byEndedReason' };
var NULL = 'null';

export function callsPage() {
  var form = $('calls-form');
  var start = $('startDate');
  var end = $('endDate');
  var zone = $('timezone');
  var rangeError = $('range-error');
  var search = new URLSearchParams(window.location.search);
  var range = null;
  var usage = null;
  // The cursors of the pages seen so far: cursors[i] opens page i (the first needs none).
  var cursors = [null];
  var pageIndex = 0;
  var request = 0;

  fillZones(zone, search.get('timezone') || browserZone);
  start.value = search.get('startDate') || '';
  end.value = search.get('endDate') || '';
  FILTERS.forEach(function (name) {
    var value = search.get(name);
    if (value !== null && value !== '') { ensureOption($(name), value, value === NULL ? 'None' : value); $(name).value = value; }
  });
  STATUSES.forEach(function (s) { ensureOption($('status'), s, humanize(s)); });

  function filters() {
    var result = {};
    FILTERS.forEach(function (name) {
      var value = $(name).value;
      if (value === NULL) { result[name] = null; } else if (value) { result[name] = value; }
    });
    return result;
  }

  function fieldError(message, fields) {
    rangeError.textContent = message;
    [start, end, zone].forEach(function (el) { el.removeAttribute('aria-invalid'); });
    (fields || []).forEach(function (el) { el.setAttribute('aria-invalid', 'true'); });
    if (fields && fields.length) { fields[0].focus(); }
  }

  /** The range (which may sync first), its totals and filter values, then the first page. */
  function load() {
    fieldError('', []);
    if (start.value && end.value && start.value > end.value) {
      fieldError('The start date must be on or before the end date.', [start, end]);
      loaded();
      return;
    }
    var params = { startDate: start.value, endDate: end.value, timezone: zone.value || 'UTC', explicitZone: true };
    return loadUsage(params).then(function (result) {
      usage = result.usage;
      range = { startDate: usage.startDate, endDate: usage.endDate, timezone: usage.timezone };
      start.value = range.startDate;
      end.value = range.endDate;
      zone.value = range.timezone;
      fillFilterOptions(usage);
      var rangeText = fmtRange(range.startDate, range.endDate);
      $('lede').textContent = rangeText + ' · newest first · time zone ' + range.timezone;
      $('time-heading').textContent = 'Time (' + range.timezone + ')';
      showSyncLine(result.status, usage, load);
      if (!showState(result.status, usage, load, 'from ' + rangeText)) { return null; }
      return firstPage();
    }).catch(function (error) {
      if (error.code === 'invalid_timezone') { fieldError(error.message, [zone]); }
      else if (error.code === 'invalid_date') { fieldError(error.message, [start, end]); }
      else if (error.code === 'invalid_range' || error.code === 'range_too_large') {
        fieldError(error.message + (error.code === 'range_too_large' ? ' Pick at most 366 days.' : ''), [start, end]);
      } else { showLoadError(error, load); }
    }).then(loaded);
  }

  function firstPage() {
    cursors = [null];
    pageIndex = 0;
    window.history.replaceState(null, '', '?' + rangeQuery(range, filters()));
    setDownloads(range, filters());
    showSummary();
    return showPage();
  }

  /** One page of calls; an answer that arrives after a newer request is dropped. */
  function showPage() {
    var mine = ++request;
    var params = rangeQuery(range, filters());
    var cursor = cursors[pageIndex];
    if (!quietRefresh()) { $('content').setAttribute('aria-busy', 'true'); }
    $('page-prev').disabled = true;
    $('page-next').disabled = true;
    return api('GET', '/api/vapi/calls?' + params + (cursor ? '&' + query({ cursor: cursor }) : ''))
      .then(function (answer) {
        if (mine !== request) { return; }
        $('content').setAttribute('aria-busy', 'false');
        if (answer.nextCursor) { cursors[pageIndex + 1] = answer.nextCursor; } else { cursors.length = pageIndex + 1; }
        fillRows(answer.calls);
        $('page-prev').disabled = pageIndex === 0;
        $('page-next').disabled = !answer.nextCursor;
        $('page-number').textContent = answer.calls.length
          ? 'Page ' + fmtCount(pageIndex + 1) + ' · ' + fmtCount(answer.calls.length) + (answer.calls.length === 1 ? ' call' : ' calls')
          : '';
      }, function (error) {
        if (mine !== request) { return; }
        $('content').setAttribute('aria-busy', 'false');
        $('page-prev').disabled = pageIndex === 0;
        showLoadError(error, function () { reloadPage(); });
      });
  }

  function reloadPage() { showPage().then(loaded); }

  function fillRows(calls) {
    var tbody = document.querySelector('#calls-table tbody');
    clear(tbody);
    $('calls-empty').hidden = calls.length > 0;
    calls.forEach(function (call) {
      var open = function () { openCall(call.id); };
      var assistant = call.assistantId === null || call.assistantId === undefined
        ? h('td', { class: 'none', text: NONE_LABELS.byAssistant })
        : h('td', { class: 'assistant', title: assistantTitle(call.assistantId, call.assistantName), text: assistantLabel(call.assistantId, call.assistantName) });
      tbody.appendChild(h('tr', { 'data-id': call.id, class: 'call-row', onclick: function (event) {
        if (event.target.closest('button')) { return; }
        open();
      } }, [
        h('th', { scope: 'row', class: 'time' }, [h('button', {
          type: 'button', class: 'link', 'aria-haspopup': 'dialog', title: 'Call ' + call.id, onclick: open,
          text: fmtCallTime(call.createdAt, range.timezone)
        })]),
        assistant,
        h('td', { class: 'optional' + (call.type ? '' : ' none'), text: groupLabel('byType', call.type) }),
        h('td', { class: 'optional' + (call.status ? '' : ' none'), text: call.status ? humanize(call.status) : 'Unknown' }),
        h('td', { class: call.endedReason ? null : 'none', text: call.endedReason ? humanize(call.endedReason) : '–' }),
        h('td', { class: 'num', 'data-value': call.minutes, text: call.minutes === null || call.minutes === undefined ? '–' : fmtMinutes(call.minutes) }),
        costCell(call)
      ]));
    });
  }

  function costCell(call) {
    var has = call.cost !== null && call.cost !== undefined;
    // Four decimals in every row, so the column lines up.
    var children = [has ? fmtMoney(call.cost, 4, 4) : '–'];
    if (!call.final) {
      children.push(h('span', { class: 'pending', title: 'This cost may still change', 'aria-hidden': 'true', text: '*' }));
      children.push(h('span', { class: 'sr-only', text: ' (may still change)' }));
    }
    return h('td', {
      class: 'num cost' + (call.final ? '' : ' not-final'), 'data-value': has ? call.cost : null,
      'data-final': String(!!call.final), title: has ? '$' + call.cost + ' exactly' : 'Not costed yet'
    }, children);
  }

  /** The totals of the list when the usage object has them: the range, or one breakdown's group. */
  function showSummary() {
    var f = filters();
    var names = Object.keys(f);
    var figures = null;
    if (names.length === 0) {
      figures = usage.totals;
    } else if (names.length === 1 && GROUP_OF[names[0]]) {
      var group = usage[GROUP_OF[names[0]]] || [];
      figures = { calls: 0, minutes: 0, cost: 0 };
      group.forEach(function (row) {
        var key = row[names[0]] === undefined ? null : row[names[0]];
        if (key === f[names[0]]) { figures = row; }
      });
    }
    var summary = $('calls-summary');
    clear(summary);
    if (!figures) {
      summary.textContent = 'Totals of combined filters are in the download.';
      return;
    }
    summary.appendChild(h('data', { id: 'calls-total-calls', value: String(figures.calls), text: fmtCount(figures.calls) + (figures.calls === 1 ? ' call' : ' calls') }));
    summary.appendChild(document.createTextNode(' · '));
    summary.appendChild(h('data', { id: 'calls-total-minutes', value: String(figures.minutes), text: fmtMinutes(figures.minutes) + ' minutes' }));
    summary.appendChild(document.createTextNode(' · '));
    summary.appendChild(h('data', { id: 'calls-total-cost', value: String(figures.cost), title: '$' + figures.cost + ' exactly', text: fmtMoney(figures.cost) }));
  }

  function fillFilterOptions(u) {
    Object.keys(GROUP_OF).forEach(function (name) {
      var select = $(name);
      var selected = select.value;
      while (select.options.length > 1) { select.remove(1); }
      var group = GROUP_OF[name];
      (u[group] || []).forEach(function (row) {
        var key = row[name] === undefined ? null : row[name];
        var label = groupLabel(group, key, row) + ' (' + fmtCount(row.calls) + ')';
        ensureOption(select, key === null ? NULL : key, label);
      });
      if (selected) { ensureOption(select, selected, selected === NULL ? NONE_LABELS[group] : selected); }
      select.value = selected;
    });
  }

  function openCall(id) {
    var dialog = $('call-detail');
    clear($('call-problem'));
    clear($('call-facts'));
    clear(document.querySelector('#call-components tbody'));
    clear(document.querySelector('#call-costs tbody'));
    $('call-title').textContent = 'Call';
    dialog.setAttribute('aria-busy', 'true');
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') { dialog.showModal(); } else { dialog.setAttribute('open', ''); }
    }
    api('GET', '/api/vapi/calls/' + encodeURIComponent(id)).then(function (call) {
      showCall(call, range.timezone);
    }, function (error) {
      var problem = $('call-problem');
      problem.appendChild(h('strong', { text: 'This call could not be loaded' }));
      problem.appendChild(h('p', { text: error.message }));
    }).then(function () {
      dialog.removeAttribute('aria-busy');
      loaded();
    });
  }

  $('page-next').addEventListener('click', function () {
    if (!cursors[pageIndex + 1]) { return; }
    pageIndex += 1;
    reloadPage();
  });
  $('page-prev').addEventListener('click', function () {
    if (pageIndex === 0) { return; }
    pageIndex -= 1;
    reloadPage();
  });
  document.querySelectorAll('[data-filter]').forEach(function (select) {
    select.addEventListener('change', function () {
      if (!range) { return; }
      // The range is unchanged: only the list, its totals and the download follow the filter.
      firstPage().then(loaded);
    });
  });
  form.addEventListener('submit', function (event) { event.preventDefault(); load(); });
  var firstLoad = load();
  liveRefresh(function () {
    // New calls come first: a later page would only shift under the reader, and an edited range is
    // not applied yet.
    if (pageIndex !== 0 || !range || start.value !== range.startDate || end.value !== range.endDate ||
        zone.value !== range.timezone) { return null; }
    return load();
  }, firstLoad);
}

function ensureOption(select, value, label) {
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === value) { return; }
  }
  select.appendChild(h('option', { value: value, text: label }));
}

function present(value) { return value !== null && value !== undefined; }

/** The detail of one call: its facts, its cost by component and Vapi's cost items. */
export function showCall(call, zone) {
  $('call-title').textContent = 'Call of ' + fmtInstant(call.createdAt, zone);
  var facts = $('call-facts');
  var rows = [
    ['Call id', call.id, 'call-id'],
    ['Assistant', call.assistantId ? assistantLabel(call.assistantId, call.assistantName) : NONE_LABELS.byAssistant],
    ['Assistant id', call.assistantId || '–', 'call-assistant-id'],
    ['Type', call.type ? (TYPE_LABELS[call.type] || humanize(call.type)) : '–'],
    ['Status', call.status ? humanize(call.status) : 'Unknown', 'call-status'],
    ['Ended reason', call.endedReason ? humanize(call.endedReason) : '–', 'call-ended-reason'],
    ['Created', fmtInstant(call.createdAt, zone) || '–'],
    ['Started', fmtInstant(call.startedAt, zone) || '–'],
    ['Ended', fmtInstant(call.endedAt, zone) || '–'],
    ['Last changed at Vapi', fmtInstant(call.updatedAt, zone) || '–'],
    ['Minutes', present(call.minutes) ? fmtMinutes(call.minutes) : '–'],
    ['Cost', present(call.cost) ? '$' + call.cost + (call.final ? '' : ' (may still change)') : (call.final ? '–' : 'Not costed yet'), 'call-cost']
  ];
  rows.forEach(function (row) {
    facts.appendChild(h('div', {}, [h('dt', { text: row[0] }), h('dd', { id: row[2] || null, text: row[1] })]));
  });

  var components = document.querySelector('#call-components tbody');
  var breakdown = call.costBreakdown || {};
  COST_COMPONENTS.forEach(function (c) {
    var value = breakdown[c[0]];
    components.appendChild(h('tr', { 'data-component': c[0] }, [
      h('th', { scope: 'row', text: c[1] }),
      h('td', { class: 'num', 'data-value': present(value) ? value : null, title: present(value) ? '$' + value + ' exactly' : null, text: present(value) ? fmtMoney(value, 6) : '–' })
    ]));
  });

  var items = document.querySelector('#call-costs tbody');
  var costs = call.costs || [];
  $('call-costs-empty').hidden = costs.length > 0;
  costs.forEach(function (item) {
    items.appendChild(h('tr', { 'data-type': item.type }, [
      h('th', { scope: 'row', text: COMPONENT_LABELS[item.type] || humanize(item.type || 'cost') }),
      h('td', { text: item.provider || '–' }),
      h('td', { class: 'key-model', text: item.model || item.voiceId || '–', title: item.model || item.voiceId || null }),
      h('td', { class: 'num', text: itemUnits(item) }),
      h('td', { class: 'num', 'data-value': present(item.cost) ? item.cost : null, title: present(item.cost) ? '$' + item.cost + ' exactly' : null, text: present(item.cost) ? fmtMoney(item.cost, 6) : '–' })
    ]));
  });
}

function itemUnits(item) {
  var parts = [];
  if (present(item.promptTokens) || present(item.completionTokens)) {
    parts.push(fmtCount(item.promptTokens || 0) + ' + ' + fmtCount(item.completionTokens || 0) + ' tokens');
  }
  if (present(item.characters)) { parts.push(fmtCount(item.characters) + ' characters'); }
  if (present(item.minutes)) { parts.push(fmtMinutes(item.minutes) + ' minutes'); }
  return parts.join(' · ') || '–';
}
