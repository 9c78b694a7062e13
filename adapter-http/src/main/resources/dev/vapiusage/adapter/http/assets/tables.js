// Sortable breakdown tables.
import { $, clear, h } from './dom.js';
import { KEY_FIELDS, fmtCount, fmtMinutes, fmtMoney, groupLabel } from './format.js';

export var COLUMN_FORMAT = { calls: fmtCount, minutes: fmtMinutes, cost: fmtMoney };

export function sortableTable(group) {
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
