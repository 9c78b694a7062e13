// The Billing page: components, costs per day, projection.
import { api, query } from './api.js';
import { COLORS, SERIES, compactNumber, draw, options, setUpCharts } from './charts.js';
import { browserZone } from './context.js';
import { $, clear, h, loaded, setFigure } from './dom.js';
import { addDays, addMonths, daysInclusive, firstOfMonth, fmtCount, fmtMinutes, fmtMoney, fmtMonth, fmtPercent, fmtRange, fmtRowDay, fmtShortDate, fmtWeekday, lastOfMonth } from './format.js';
import { setDownloads } from './links.js';
import { liveRefresh } from './live.js';
import { loadUsage, showLoadError, showState, showSyncLine } from './loading.js';

export var COMPONENTS = [
  ['transport', 'Transport (telephony)'],
  ['stt', 'Speech-to-text (STT)'],
  ['llm', 'Language model (LLM)'],
  ['tts', 'Text-to-speech (TTS)'],
  ['vapi', 'Vapi platform'],
  ['analysis', 'Analysis']
];

export function billingPage() {
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
    return loadUsage(params).then(function (result) {
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
      setDownloads({ startDate: usage.startDate, endDate: usage.endDate, timezone: usage.timezone });
      if (!showState(result.status, usage, load, current ? 'this month (' + range + ')' : 'in ' + fmtMonth(usage.startDate))) { return null; }
      if (!current) { showBilling(usage, false, null); return null; }
      return lastWholeDays(usage).then(function (recent) { showBilling(usage, true, recent); });
    }).catch(function (error) { showLoadError(error, load); }).then(loaded);
  }

  month.addEventListener('change', function () {
    selected = month.value;
    load();
  });
  liveRefresh(load, load());
}

/** The days the forecast averages: the 14 whole days before today, into last month when needed. */
export var FORECAST_DAYS = 14;

export function lastWholeDays(usage) {
  var today = usage.endDate;
  var params = { startDate: addDays(today, -FORECAST_DAYS), endDate: addDays(today, -1), timezone: usage.timezone };
  return api('GET', '/api/vapi/usage?' + query(params));
}

/**
 * The month-end forecast of contract §9.3: the month to date plus the average cost of the 14 whole
 * days before today, times the days left in the month, today included.
 */
export function forecast(monthToDate, recentCost, today) {
  var daysLeft = daysInclusive(today, lastOfMonth(today));
  return { value: monthToDate + recentCost / FORECAST_DAYS * daysLeft, perDay: recentCost / FORECAST_DAYS, daysLeft: daysLeft };
}

export function showBilling(usage, current, recent) {
  var t = usage.totals;
  var monthDays = daysInclusive(firstOfMonth(usage.startDate), lastOfMonth(usage.startDate));
  $('cost-label').textContent = current ? 'Month to date' : 'Month total';
  setFigure('[data-total="cost"]', t.cost, fmtMoney(t.cost), '$' + t.cost + ' exactly');
  $('cost-note').textContent = fmtCount(t.calls) + (t.calls === 1 ? ' call' : ' calls') + ' · ' + fmtMinutes(t.minutes) + ' minutes';

  var outlook = current && recent ? forecast(t.cost, recent.totals.cost, usage.endDate) : null;
  var projection = outlook ? outlook.value : null;
  setFigure('[data-figure="projection"]', projection, projection === null ? '–' : fmtMoney(projection, 2));
  $('projection-note').textContent = outlook
    ? 'Month to date plus ' + fmtMoney(outlook.perDay) + ' a day (the average of the ' + FORECAST_DAYS + ' whole days ' +
      fmtRange(recent.startDate, recent.endDate) + ') for the ' + fmtCount(outlook.daysLeft) +
      (outlook.daysLeft === 1 ? ' day' : ' days') + ' left, today included'
    : 'The month is over: its total is final.';

  var perMinute = t.minutes > 0 ? t.cost / t.minutes : null;
  setFigure('[data-figure="cost-per-minute"]', perMinute, perMinute === null ? '–' : fmtMoney(perMinute, 4));
  $('per-minute-note').textContent = perMinute === null ? 'No minutes yet' : 'Over ' + fmtMinutes(t.minutes) + ' minutes of calls';
  var perCall = t.calls > 0 ? t.cost / t.calls : null;
  setFigure('[data-figure="cost-per-call"]', perCall, perCall === null ? '–' : fmtMoney(perCall, 4));
  $('per-call-note').textContent = perCall === null ? 'No calls yet' : 'Over ' + fmtCount(t.calls) + (t.calls === 1 ? ' call' : ' calls');

  showComponents(usage);
  showDailyCosts(usage, current, outlook, monthDays);
}

export function showComponents(usage) {
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

export function showDailyCosts(usage, current, outlook, monthDays) {
  var projection = outlook ? outlook.value : null;
  var daily = usage.daily;
  var running = 0;
  var cumulative = daily.map(function (d) { running += d.cost; return running; });
  var dates = daily.map(function (d) { return d.date; });
  var projected = [];
  if (current && outlook) {
    // The projection line runs from today's running total straight to the month-end forecast.
    var remaining = monthDays - daily.length;
    var step = remaining > 0 ? (outlook.value - running) / remaining : 0;
    projected = daily.map(function (d, i) { return i === daily.length - 1 ? running : null; });
    for (var day = daily.length + 1; day <= monthDays; day++) {
      dates.push(addDays(usage.startDate, day - 1));
      projected.push(running + step * (day - daily.length));
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
