// Problems and hints from the seed, shown as notices.
import { basePath } from './context.js';
import { clear, h } from './dom.js';

export var PROBLEMS = {
  invalid_api_key: {
    title: 'Invalid API key',
    hints: ['Verify your API key in Vapi dashboard', 'Make sure you copied the full key', 'Check that the key hasn\'t expired']
  },
  sync_failed: {
    title: 'Failed to sync metrics',
    hints: ['Check your internet connection', 'Verify Vapi API is accessible', 'Check server logs for detailed error messages']
  },
  vapi_unavailable: {
    title: 'Vapi could not be reached',
    hints: ['Check your internet connection', 'Verify Vapi API is accessible', 'Try again in a minute']
  },
  no_metrics: {
    title: 'Metrics not showing',
    hints: ['Click "Sync Now" to manually sync', 'Check that your Vapi account has usage data', 'Verify the date range is correct']
  },
  sync_in_progress: {
    title: 'A sync is already running',
    hints: ['The background sync or another tab started it. Wait a moment, then look again.']
  },
  not_connected: { title: 'Your Vapi account is not connected', hints: ['Connect it with your API key first.'] },
  rate_limited: { title: 'Too many attempts', hints: ['Wait a minute, then try again.'] },
  network: { title: 'The server could not be reached', hints: ['Check your connection and try again.'] }
};

/** The parts of a problem box: its title, the server's sentence when it adds something, and the hints. */
export function problemParts(code, message) {
  var known = PROBLEMS[code];
  var title = known ? known.title : (message || 'Something went wrong');
  var parts = [h('strong', { text: title })];
  if (message && message !== title) { parts.push(h('p', { text: message })); }
  if (known) {
    parts.push(h('ul', { 'aria-label': 'What to check' }, known.hints.map(function (hint) { return h('li', { text: hint }); })));
  }
  return parts;
}

export function showProblem(container, code, message) {
  clear(container);
  problemParts(code, message).forEach(function (part) { container.appendChild(part); });
}

export function notice(kind, title, paragraphs, hints, actions, id) {
  var parts = [h('h2', { text: title })];
  (paragraphs || []).forEach(function (text) { parts.push(h('p', { text: text })); });
  if (hints && hints.length) {
    parts.push(h('ul', { 'aria-label': 'What to check' }, hints.map(function (hint) { return h('li', { text: hint }); })));
  }
  if (actions && actions.length) { parts.push(h('div', { class: 'notice-actions' }, actions)); }
  return h('section', { class: 'notice notice-' + kind, id: id, role: kind === 'error' ? 'alert' : null }, parts);
}

export function linkButton(text, href, secondary) {
  return h('a', { class: 'button' + (secondary ? ' secondary' : ''), href: basePath + href, text: text });
}
