// The Chart.js charts and the per-day table.
import { body, reducedMotion } from './context.js';
import { $, clear, h } from './dom.js';
import { fmtCount, fmtDate, fmtMinutes, fmtMoney, fmtRange, fmtRowDay, fmtShortDate, fmtWeekday } from './format.js';

export var COLORS = { calls: '#3b5bdb', minutes: '#0b7285', cost: '#c2410c', projection: '#868e96' };
export var SERIES = ['#3b5bdb', '#0b7285', '#d9480f', '#9c36b5', '#2b8a3e', '#e67700', '#1971c2', '#c2255c', '#5c940d', '#868e96'];
export var charts = {};

export function chartsAvailable() { return typeof window.Chart === 'function'; }

export function setUpCharts() {
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

export function options(extra) {
  var base = { responsive: true, maintainAspectRatio: false, animation: reducedMotion ? false : { duration: 350 } };
  return Object.assign(base, extra);
}

export function draw(id, config, summary) {
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

export function compactNumber(value) {
  return new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function dailyChart(id, daily, summary) {
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

export function dailySummary(usage, what) {
  var busiest = null;
  usage.daily.forEach(function (d) { if (!busiest || d.calls > busiest.calls) { busiest = d; } });
  var text = what + ' from ' + fmtRange(usage.startDate, usage.endDate) + ': ' + fmtCount(usage.totals.calls) +
    ' calls and ' + fmtMinutes(usage.totals.minutes) + ' minutes in total';
  if (busiest && busiest.calls > 0) {
    text += '; the busiest day was ' + fmtDate(busiest.date) + ' with ' + fmtCount(busiest.calls) + ' calls';
  }
  return text + '. The numbers per day are in the table below.';
}

export function fillDailyTable(daily) {
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
