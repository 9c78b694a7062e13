// Sortable breakdown tables.
import { $, clear, h } from './dom.js';
import { KEY_FIELDS, assistantTitle, fmtCount, fmtMinutes, fmtMoney, groupLabel } from './format.js';

export var COLUMN_FORMAT = { calls: fmtCount, minutes: fmtMinutes, cost: fmtMoney };

/**
 * A breakdown's table, sortable by any column. {@code linkFor(key)}, when given, answers the
 * address of the calls behind a group (the Calls page filtered by it), which its name links to.
 */
export function sortableTable(group, linkFor) {
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

  function label(row) { return groupLabel(group, row[KEY_FIELDS[group]], row); }

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
      var none = key === null || key === undefined;
      var title = group === 'byAssistant' ? assistantTitle(key, row.assistantName) : (none ? null : key);
      var href = linkFor ? linkFor(key) : null;
      var cells = [h('th', {
        // Assistants are cut short with an ellipsis (the whole name and id are the cell's title);
        // words may wrap.
        scope: 'row', class: (group === 'byAssistant' ? 'key key-id' : 'key') + (none ? ' none' : ''), title: title
      }, [href ? h('a', { href: href, class: 'calls-link', text: text }) : text])];
      ['calls', 'minutes', 'cost'].forEach(function (column) {
        cells.push(h('td', { class: 'num', 'data-value': row[column], text: COLUMN_FORMAT[column](row[column]) }));
      });
      tbody.appendChild(h('tr', { 'data-key': key === null || key === undefined ? '' : key }, cells));
    });
  }

  return { show: function (rows) { state.rows = rows; render(); } };
}

export var COMPONENT_LABELS = { model: 'Language model', voice: 'Voice', transcriber: 'Transcriber' };

/** What a model entry used: tokens, characters or minutes, as far as Vapi's cost items say. */
export function modelUnits(row) {
  var parts = [];
  if (row.promptTokens !== undefined && row.promptTokens !== null) { parts.push(fmtCount(row.promptTokens) + ' prompt'); }
  if (row.completionTokens !== undefined && row.completionTokens !== null) { parts.push(fmtCount(row.completionTokens) + ' completion'); }
  var text = parts.length ? parts.join(' + ') + ' tokens' : '';
  if (row.characters !== undefined && row.characters !== null) { text += (text ? ' · ' : '') + fmtCount(row.characters) + ' characters'; }
  if (row.minutes !== undefined && row.minutes !== null) { text += (text ? ' · ' : '') + fmtMinutes(row.minutes) + ' minutes'; }
  return text || '–';
}

/** The "By model" table: one row per component, provider and model, as the API sorts them. */
export function modelTable(rows) {
  var tbody = document.querySelector('#byModel-table tbody');
  if (!tbody) { return; }
  clear(tbody);
  var count = $('byModel-count');
  if (count) { count.textContent = fmtCount(rows.length) + (rows.length === 1 ? ' model' : ' models'); }
  $('byModel-empty').hidden = rows.length > 0;
  tbody.closest('.table-wrap').hidden = rows.length === 0;
  rows.forEach(function (row) {
    tbody.appendChild(h('tr', { 'data-component': row.component, 'data-provider': row.provider || '', 'data-model': row.model || '' }, [
      h('td', { text: COMPONENT_LABELS[row.component] || row.component }),
      h('td', { class: row.provider ? null : 'none', text: row.provider || 'Unknown' }),
      h('th', { scope: 'row', class: 'key key-model' + (row.model ? '' : ' none'), title: row.model || null, text: row.model || 'Unknown' }),
      h('td', { class: 'num', 'data-value': row.calls, text: fmtCount(row.calls) }),
      h('td', { class: 'num units optional', text: modelUnits(row) }),
      h('td', { class: 'num', 'data-value': row.cost, text: fmtMoney(row.cost) })
    ]));
  });
}
