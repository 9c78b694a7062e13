// The Overview page.
import { api, query } from './api.js';
import { dailyChart, dailySummary, fillDailyTable, setUpCharts } from './charts.js';
import { browserZone } from './context.js';
import { $, clear, fillTotals, h, loaded } from './dom.js';
import { addDays, addMonths, fmtCount, fmtMinutes, fmtMoney, fmtPercent, fmtRange, lastOfMonth } from './format.js';
import { liveRefresh } from './live.js';
import { loadUsage, showLoadError, showState, showSyncLine } from './loading.js';

export function overviewPage() {
  setUpCharts();
  function load() {
    var params = { timezone: browserZone };
    return loadUsage(params).then(function (result) {
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
  liveRefresh(load, load());
}

/**
 * The change against last month, like with like: this month's whole days (the 1st to yesterday)
 * against the same days of last month (up to its last day). On the 1st there is no whole day yet.
 */
export function previousPeriod(usage) {
  var wholeDays = +usage.endDate.slice(8, 10) - 1;
  if (wholeDays < 1) {
    document.querySelectorAll('[data-delta]').forEach(function (el) {
      el.textContent = 'Compared with last month from tomorrow, once a whole day has passed';
    });
    return null;
  }
  var currentEnd = addDays(usage.startDate, wholeDays - 1);
  var start = addMonths(usage.startDate, -1);
  var end = addDays(start, wholeDays - 1);
  if (end > lastOfMonth(start)) { end = lastOfMonth(start); }
  var label = fmtRange(start, end);
  var currentLabel = fmtRange(usage.startDate, currentEnd);
  function totals(from, to) {
    return api('GET', '/api/vapi/usage?' + query({ startDate: from, endDate: to, timezone: usage.timezone }))
      .then(function (answer) { return answer.totals; });
  }
  return Promise.all([totals(usage.startDate, currentEnd), totals(start, end)]).then(function (both) {
    var current = both[0];
    var previous = both[1];
    showDelta('calls', current.calls, previous.calls, fmtCount, currentLabel, label);
    showDelta('minutes', current.minutes, previous.minutes, fmtMinutes, currentLabel, label);
    showDelta('cost', current.cost, previous.cost, fmtMoney, currentLabel, label);
  }, function () {
    document.querySelectorAll('[data-delta]').forEach(function (el) { el.textContent = ''; });
  });
}

export function showDelta(field, current, previous, format, currentLabel, label) {
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
  el.setAttribute('data-current', String(current));
  el.setAttribute('data-previous', String(previous));
  el.setAttribute('title', currentLabel + ': ' + format(current) + '; ' + label + ': ' + format(previous));
  el.appendChild(mark);
  el.appendChild(document.createTextNode(' ' + currentLabel + ' vs ' + label + ' (' + format(previous) + ')'));
}
