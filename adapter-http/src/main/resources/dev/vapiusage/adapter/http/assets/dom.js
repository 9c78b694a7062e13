// DOM helpers: element lookup and creation, figures, and the data-loaded counter tests wait on.
import { body } from './context.js';
import { fmtCount, fmtMinutes, fmtMoney } from './format.js';

export function $(id) { return document.getElementById(id); }

export function h(tag, attributes, children) {
  var el = document.createElement(tag);
  Object.keys(attributes || {}).forEach(function (name) {
    var value = attributes[name];
    if (value === null || value === undefined || value === false) { return; }
    if (name === 'text') { el.textContent = value; }
    else if (name === 'class') { el.className = value; }
    else if (name.indexOf('on') === 0) { el.addEventListener(name.slice(2), value); }
    else { el.setAttribute(name, value === true ? '' : value); }
  });
  (children || []).forEach(function (child) {
    if (child === null || child === undefined || child === false) { return; }
    el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  });
  return el;
}

export function clear(el) { while (el && el.firstChild) { el.removeChild(el.firstChild); } }

/** Counts finished renders on the body's data-loaded attribute: tests wait for it to change. */
export var loads = 0;
export function loaded() {
  loads += 1;
  body.setAttribute('data-loaded', String(loads));
}

/** A figure: the exact number as the data element's value, the rounded one as its text. */
export function setFigure(selector, value, text, exact) {
  document.querySelectorAll(selector).forEach(function (el) {
    if (value === null || value === undefined) {
      el.removeAttribute('value');
      el.textContent = '–';
      el.removeAttribute('title');
      return;
    }
    el.setAttribute('value', String(value));
    el.textContent = text;
    if (exact) { el.setAttribute('title', exact); } else { el.removeAttribute('title'); }
  });
}

export function fillTotals(usage) {
  var t = usage.totals;
  setFigure('[data-total="calls"]', t.calls, fmtCount(t.calls));
  setFigure('[data-total="minutes"]', t.minutes, fmtMinutes(t.minutes), t.minutes + ' minutes');
  setFigure('[data-total="cost"]', t.cost, fmtMoney(t.cost), '$' + t.cost + ' exactly');
}
