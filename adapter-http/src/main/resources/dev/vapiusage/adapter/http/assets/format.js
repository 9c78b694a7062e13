// Number, money, date and label formatting, and the date arithmetic of ranges.
import { browserZone } from './context.js';

export var counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
// Minutes always with one decimal (and grouping), in every card, table and chart, so columns line up.
export var minutesFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export var percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
export var currency = 'USD';
/** The currency of the usage last loaded: the API names it. */
export function setCurrency(code) { currency = code; }

export function fmtCount(n) { return counts.format(n); }
export function fmtMinutes(n) { return minutesFormat.format(n); }
export function fmtPercent(fraction) { return percentFormat.format(fraction); }

/** Money with cents; amounts under a cent keep up to four decimals, since Vapi bills fractions of a cent. */
export function fmtMoney(n, maxDigits, minDigits) {
  var max = maxDigits !== undefined ? maxDigits : (n === 0 || Math.abs(n) >= 0.01 ? 2 : 4);
  var min = minDigits !== undefined ? Math.min(minDigits, Math.max(2, max)) : 2;
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency', currency: currency, minimumFractionDigits: min, maximumFractionDigits: Math.max(2, max)
    }).format(n);
  } catch (e) {
    return n.toFixed(Math.max(2, max)) + ' ' + currency;
  }
}

export function parseYmd(text) {
  var parts = text.split('-');
  return new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]));
}
export function ymd(date) { return date.toISOString().slice(0, 10); }
export function addDays(text, days) {
  var date = parseYmd(text);
  date.setUTCDate(date.getUTCDate() + days);
  return ymd(date);
}
export function firstOfMonth(text) { return text.slice(0, 8) + '01'; }
export function addMonths(text, months) {
  var date = parseYmd(text);
  return ymd(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
}
export function lastOfMonth(text) {
  var date = parseYmd(text);
  return ymd(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
}
export function daysInclusive(start, end) { return Math.round((parseYmd(end) - parseYmd(start)) / 86400000) + 1; }

export var dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export var shortDayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
export var weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export var weekdayNoYearFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
export var monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

export function fmtDate(text) { return dayFormat.format(parseYmd(text)); }
export function fmtShortDate(text) { return shortDayFormat.format(parseYmd(text)); }
export function fmtWeekday(text) { return weekdayFormat.format(parseYmd(text)); }
/** A table row's day: without the year when every row is in the same year, which the page already says. */
export function fmtRowDay(text, daily) {
  var sameYear = daily.length > 0 && daily[0].date.slice(0, 4) === daily[daily.length - 1].date.slice(0, 4);
  return (sameYear ? weekdayNoYearFormat : weekdayFormat).format(parseYmd(text));
}
export function fmtMonth(text) { return monthFormat.format(parseYmd(text)); }
export function fmtRange(start, end) {
  if (start === end) { return fmtDate(start); }
  if (typeof dayFormat.formatRange === 'function') {
    return dayFormat.formatRange(parseYmd(start), parseYmd(end));
  }
  return fmtDate(start) + ' – ' + fmtDate(end);
}
export function fmtInstant(iso, zone) {
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

export var TYPE_LABELS = {
  inboundPhoneCall: 'Inbound phone call',
  outboundPhoneCall: 'Outbound phone call',
  webCall: 'Web call',
  'vapi.websocketCall': 'WebSocket call'
};
export var NONE_LABELS = { byAssistant: 'No assistant', byType: 'No call type', byEndedReason: 'No ended reason yet' };
export var KEY_FIELDS = { byAssistant: 'assistantId', byType: 'type', byEndedReason: 'endedReason' };
/** The Calls page's filter for each breakdown: the same query parameter as the key field. */
export var FILTER_FIELDS = KEY_FIELDS;

export function humanize(text) {
  var words = String(text).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
export function groupLabel(group, key, row) {
  if (key === null || key === undefined) { return NONE_LABELS[group]; }
  if (group === 'byType') { return TYPE_LABELS[key] || humanize(key); }
  if (group === 'byEndedReason') { return humanize(key); }
  if (group === 'byAssistant') { return assistantLabel(key, row && row.assistantName); }
  return key;
}
/** An assistant by its name; without one (unknown or deleted), by the two ends of its id. */
export function assistantLabel(id, name) {
  if (name) { return name; }
  if (id === null || id === undefined) { return NONE_LABELS.byAssistant; }
  return shorten(id, 13);
}
/** The hover text of an assistant: its name and its full id. */
export function assistantTitle(id, name) {
  if (id === null || id === undefined) { return null; }
  return name ? name + ' (' + id + ')' : id;
}
export function shorten(text, max) {
  return text.length <= max ? text : text.slice(0, Math.ceil(max / 2) - 1) + '…' + text.slice(text.length - Math.floor(max / 2) + 1);
}
/** A call's time in a zone, to the second, without the zone's name (the column heading names it). */
export function fmtCallTime(iso, zone) {
  if (!iso) { return '–'; }
  var options = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' };
  try {
    options.timeZone = zone || browserZone;
    return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
  } catch (e) {
    options.timeZone = 'UTC';
    return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
  }
}
