// The time zone picker of the Usage and Calls pages.
import { browserZone } from './context.js';
import { clear, h } from './dom.js';

export function zoneList() {
  var zones = [];
  try {
    if (typeof Intl.supportedValuesOf === 'function') { zones = Intl.supportedValuesOf('timeZone').slice(); }
  } catch (e) {
    zones = [];
  }
  ['UTC', browserZone].forEach(function (zone) { if (zones.indexOf(zone) < 0) { zones.push(zone); } });
  return zones.sort();
}

export function fillZones(select, selected) {
  clear(select);
  var zones = zoneList();
  if (zones.indexOf(selected) < 0) { zones.push(selected); }
  var groups = {};
  var order = [];
  zones.forEach(function (zone) {
    var region = zone.indexOf('/') > 0 ? zone.slice(0, zone.indexOf('/')) : 'Other';
    if (!groups[region]) { groups[region] = []; order.push(region); }
    groups[region].push(zone);
  });
  var top = h('optgroup', { label: 'Suggested' }, [
    h('option', { value: browserZone, text: browserZone.replace(/_/g, ' ') + ' (this device)' })
  ]);
  if (browserZone !== 'UTC') { top.appendChild(h('option', { value: 'UTC', text: 'UTC' })); }
  select.appendChild(top);
  order.forEach(function (region) {
    select.appendChild(h('optgroup', { label: region }, groups[region].map(function (zone) {
      return h('option', { value: zone, text: zone.replace(/_/g, ' ') });
    })));
  });
  select.value = selected;
}
