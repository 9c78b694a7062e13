// The Overview page.
import { api, query } from './api.js';
import { dailyChart, dailySummary, fillDailyTable, setUpCharts } from './charts.js';
import { browserZone } from './context.js';
import { $, clear, fillTotals, h, loaded } from './dom.js';
import { addDays, addMonths, fmtCount, fmtMinutes, fmtMoney, fmtPercent, fmtRange, lastOfMonth } from './format.js';
import { loadUsage, showLoadError, showState, showSyncLine } from './loading.js';

export function overviewPage() {
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
export function previousPeriod(usage) {
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

export function showDelta(field, current, previous, format, label) {
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
