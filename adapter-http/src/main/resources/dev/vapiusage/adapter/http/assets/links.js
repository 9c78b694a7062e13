// Addresses the pages link to: the Calls page for a range and filters, and the CSV downloads.
import { query } from './api.js';
import { basePath } from './context.js';
import { $ } from './dom.js';

/** The filters of the Calls page, in the order its address lists them. */
export var FILTERS = ['assistantId', 'type', 'endedReason', 'status'];

/**
 * The query of a range and filters. A filter of value null ("calls without the field") is
 * written as the API's "null"; an absent one (undefined or '') is left out.
 */
export function rangeQuery(range, filters) {
  var params = { startDate: range.startDate, endDate: range.endDate, timezone: range.timezone };
  FILTERS.forEach(function (name) {
    if (!filters || !(name in filters)) { return; }
    var value = filters[name];
    if (value === null) { params[name] = 'null'; } else if (value) { params[name] = value; }
  });
  return query(params);
}

/** The Calls page for a range (with its zone) and filters. */
export function callsHref(range, filters) {
  return basePath + '/dashboard/calls?' + rangeQuery(range, filters);
}

/**
 * Points the page's download links at the exports of this range (and filters): plain GET links
 * with the session cookie, which the CSRF rule leaves alone since they change nothing.
 */
export function setDownloads(range, filters) {
  var calls = $('download-calls');
  var daily = $('download-daily');
  if (calls) { calls.href = basePath + '/api/vapi/calls/export?format=csv&' + rangeQuery(range, filters); }
  if (daily) { daily.href = basePath + '/api/vapi/usage/export?format=csv&' + rangeQuery(range); }
}
