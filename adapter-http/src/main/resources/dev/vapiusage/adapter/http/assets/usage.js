// The Usage page: range form, zones, breakdowns.
import { api, query } from './api.js';
import { COLORS, compactNumber, dailyChart, dailySummary, draw, fillDailyTable, options, setUpCharts } from './charts.js';
import { browserZone } from './context.js';
import { $, fillTotals, loaded, setFigure } from './dom.js';
import { KEY_FIELDS, addDays, addMonths, firstOfMonth, fmtCount, fmtMinutes, fmtRange, groupLabel, lastOfMonth } from './format.js';
import { callsHref, setDownloads } from './links.js';
import { liveRefresh } from './live.js';
import { loadUsage, showLoadError, showState, showSyncLine } from './loading.js';
import { COLUMN_FORMAT, modelTable, sortableTable } from './tables.js';
import { fillZones } from './zones.js';

export function usagePage() {
  setUpCharts();
  var form = $('range-form');
  var start = $('startDate');
  var end = $('endDate');
  var zone = $('timezone');
  var rangeError = $('range-error');
  var search = new URLSearchParams(window.location.search);
  var todayByZone = {};
  var last = null;
  var tables = {};
  // A group's name opens the Calls page filtered by it, for the range and zone shown.
  Object.keys(KEY_FIELDS).forEach(function (group) {
    tables[group] = sortableTable(group, function (key) {
      if (!last) { return null; }
      var filters = {};
      filters[KEY_FIELDS[group]] = key === undefined ? null : key;
      return callsHref({ startDate: last.startDate, endDate: last.endDate, timezone: last.timezone }, filters);
    });
  });

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
    return loadUsage(params).then(function (result) {
      var usage = result.usage;
      last = usage;
      if (!end.value) { todayByZone[usage.timezone] = usage.endDate; }
      start.value = usage.startDate;
      end.value = usage.endDate;
      zone.value = usage.timezone;
      markPreset();
      var range = { startDate: usage.startDate, endDate: usage.endDate, timezone: usage.timezone };
      window.history.replaceState(null, '', '?' + query(range));
      setDownloads(range);
      var rangeText = fmtRange(usage.startDate, usage.endDate);
      $('lede').textContent = rangeText + ' · ' + fmtCount(usage.daily.length) + (usage.daily.length === 1 ? ' day' : ' days') + ' · time zone ' + usage.timezone;
      showSyncLine(result.status, usage, load);
      if (!showState(result.status, usage, load, 'from ' + rangeText)) { return; }
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
      modelTable(usage.byModel || []);
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
  var firstLoad = load();
  liveRefresh(function () {
    // The range being edited is not applied yet: Apply loads the latest figures anyway.
    if (last && (start.value !== last.startDate || end.value !== last.endDate || zone.value !== last.timezone)) { return null; }
    return load();
  }, firstLoad);
}

export var METRIC_LABELS = { calls: 'Calls', minutes: 'Minutes', cost: 'Cost' };

export function breakdownChart(group, rows, metric) {
  var sorted = rows.slice().sort(function (a, b) { return b[metric] - a[metric]; });
  // Nine bars at most: a single group left over is shown by name, never folded into "1 other".
  var shown = sorted.length <= 9 ? sorted : sorted.slice(0, 8);
  var rest = sorted.slice(shown.length);
  var labels = shown.map(function (row) { return groupLabel(group, row[KEY_FIELDS[group]], row); });
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
              // Names keep their beginning; an assistant without a name is already its id's two ends.
              return label.length <= max ? label : label.slice(0, max - 1) + '…';
            }
          }
        }
      }
    })
  }, summary);
}
