// The Settings page: connect, Sync Now, live updates from Vapi (its webhook), disconnect.
import { api } from './api.js';
import { browserZone } from './context.js';
import { $, clear, loaded } from './dom.js';
import { fmtCount, fmtDate, fmtInstant } from './format.js';
import { liveRefresh } from './live.js';
import { showProblem } from './notices.js';

export function settingsPage() {
  var form = $('connect-form');
  var input = $('apiKey');
  var connectButton = $('connect-button');
  var connectError = $('connect-error');
  var connectResult = $('connect-result');
  var syncButton = $('sync-now');
  var syncError = $('sync-error');
  var syncResult = $('sync-result');
  var progress = $('sync-progress');
  var elapsed = $('sync-elapsed');
  var disconnectButton = $('disconnect');
  var dialog = $('confirm-disconnect');
  var secretButton = $('webhook-secret');
  var secretDialog = $('confirm-secret');
  var syncing = false;
  var status = null;
  // The API does not say whether a secret exists, only this visit knows it made one: until then a
  // new secret may replace an older one, so it is confirmed either way.
  var secretMade = false;

  function outcome(s) {
    if (s.lastSyncStatus === 'completed') { return ['Completed', 'completed']; }
    if (s.lastSyncStatus === 'running') { return ['Running…', 'running']; }
    if (s.lastSyncStatus === 'failed') {
      return [s.lastSyncError === 'invalid_api_key' ? 'Failed: Invalid API key' : 'Failed to sync metrics', 'failed'];
    }
    return ['No sync yet', ''];
  }

  function render(s, fresh) {
    status = s;
    var badge = $('connection-state');
    badge.textContent = s.connected ? 'Connected' : 'Not connected';
    badge.className = 'badge ' + (s.connected ? 'is-connected' : 'is-disconnected');
    $('connection-facts').hidden = !s.connected;
    var hint = (s.keyHint || '').replace(/^…/, '');
    var keyHint = $('key-hint');
    keyHint.textContent = s.connected && hint ? '••••' + hint : '–';
    keyHint.setAttribute('aria-label', s.connected && hint ? 'Key ending in ' + hint.split('').join(' ') : 'No key');
    $('connected-at').textContent = fmtInstant(s.connectedAt) || '–';
    $('connect-title').textContent = s.connected ? 'Replace the key' : 'Connect your account';
    $('connect-steps').hidden = s.connected;
    $('apiKey-help').textContent = s.connected
      ? 'A new key replaces the current one once Vapi accepts it. If Vapi refuses it, the current key stays.'
      : 'Your account will be verified and connected.';
    $('last-synced').textContent = fmtInstant(s.lastSyncedAt) || 'Never';
    var result = outcome(s);
    var outcomeEl = $('last-outcome');
    outcomeEl.textContent = result[0];
    outcomeEl.className = result[1] ? 'outcome-' + result[1] : '';
    syncButton.disabled = !s.connected || syncing;
    $('sync-help').textContent = s.connected ? '' : 'Connect your Vapi account first: syncing needs your API key.';
    $('disconnect-panel').hidden = !s.connected;
    renderLiveUpdates(s);
    // The last sync's failure, with what to do, unless this visit's own sync just said so.
    if (fresh && s.connected && s.lastSyncStatus === 'failed' && !syncError.firstChild) {
      showProblem(syncError, s.lastSyncError === 'invalid_api_key' ? 'invalid_api_key' : 'sync_failed', null);
    }
    if (!s.connected || s.lastSyncStatus !== 'failed') {
      if (fresh) { clear(syncError); }
    }
  }

  function refresh(fresh) {
    return api('GET', '/api/vapi/connect').then(function (s) { render(s, fresh); }, function (error) {
      if (error.status !== 401) { showProblem(connectError, error.code, error.message); }
    }).then(loaded);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clear(connectError);
    connectResult.textContent = '';
    input.removeAttribute('aria-invalid');
    var key = input.value.trim();
    if (!key) {
      showProblem(connectError, null, 'Enter your Vapi API key.');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    connectButton.disabled = true;
    connectButton.textContent = 'Verifying…';
    form.setAttribute('aria-busy', 'true');
    api('POST', '/api/vapi/connect', { apiKey: key }).then(function (s) {
      input.value = '';
      render(s, true);
      clear(syncError);
      syncResult.textContent = '';
      connectResult.textContent = 'Connected. Vapi verified your key (ending in ' + (s.keyHint || '').replace(/^…/, '') +
        '). Your usage syncs when you open the dashboard, or click "Sync Now".';
    }, function (error) {
      showProblem(connectError, error.code, error.message);
      if (error.code === 'invalid_api_key' || error.code === 'invalid_request') {
        input.setAttribute('aria-invalid', 'true');
      }
      input.focus();
      input.select();
    }).then(function () {
      connectButton.disabled = false;
      connectButton.textContent = 'Connect Vapi Account';
      form.removeAttribute('aria-busy');
      loaded();
    });
  });

  syncButton.addEventListener('click', function () {
    if (syncing || !status || !status.connected) { return; }
    syncing = true;
    clear(syncError);
    syncResult.textContent = '';
    syncButton.disabled = true;
    syncButton.setAttribute('aria-busy', 'true');
    progress.hidden = false;
    var started = Date.now();
    var previousSync = status.lastSyncedAt;
    elapsed.textContent = 'Syncing…';
    var timer = window.setInterval(function () {
      elapsed.textContent = 'Syncing… ' + Math.round((Date.now() - started) / 1000) + ' s';
    }, 1000);
    api('POST', '/api/vapi/sync', { timezone: browserZone }).then(function (result) {
      syncResult.textContent = syncMessage(result, previousSync);
    }, function (error) {
      showProblem(syncError, error.code, error.message);
    }).then(function () {
      window.clearInterval(timer);
      syncing = false;
      progress.hidden = true;
      syncButton.removeAttribute('aria-busy');
      return refresh(false);
    });
  });

  function renderLiveUpdates(s) {
    var shown = Boolean(s.connected && s.webhookUrl);
    $('live-setup').hidden = !shown;
    $('live-not-connected').hidden = shown;
    $('webhook-url').value = shown ? s.webhookUrl : '';
    if (!s.connected) {
      // A secret shown before a disconnect belongs to a set-up that is gone.
      forgetSecret();
      secretMade = false;
      secretButton.textContent = 'Create secret';
    }
  }

  function forgetSecret() {
    $('webhook-secret-value').value = '';
    $('secret-shown').hidden = true;
    $('webhook-secret-copied').textContent = '';
  }

  secretButton.addEventListener('click', function () {
    clear($('secret-error'));
    $('confirm-secret-title').textContent = secretMade ? 'Replace the webhook secret?' : 'Create a webhook secret?';
    $('confirm-secret-text').textContent = secretMade
      ? 'The secret shown now stops working at once: Vapi\'s messages signed with it are refused until you give Vapi the new one.'
      : 'If you made one before, it stops working at once: Vapi\'s messages signed with it are refused until you give Vapi the new one.';
    $('confirm-secret-yes').textContent = secretMade ? 'Replace secret' : 'Create secret';
    if (typeof secretDialog.showModal === 'function') {
      secretDialog.returnValue = '';
      secretDialog.showModal();
    } else if (window.confirm($('confirm-secret-title').textContent + ' ' + $('confirm-secret-text').textContent)) {
      newSecret();
    }
  });
  secretDialog.addEventListener('close', function () {
    if (secretDialog.returnValue === 'create') { newSecret(); } else { secretButton.focus(); }
  });

  function newSecret() {
    secretButton.disabled = true;
    secretButton.setAttribute('aria-busy', 'true');
    forgetSecret();
    api('POST', '/api/vapi/webhook/secret').then(function (answer) {
      secretMade = true;
      secretButton.textContent = 'Replace secret';
      var field = $('webhook-secret-value');
      field.value = answer.secret;
      $('secret-shown').hidden = false;
      field.focus();
      field.select();
    }, function (error) {
      showProblem($('secret-error'), error.code, error.message);
      secretButton.focus();
    }).then(function () {
      secretButton.disabled = false;
      secretButton.removeAttribute('aria-busy');
      loaded();
    });
  }

  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      copyField($(button.getAttribute('data-copy')), $(button.getAttribute('data-copied')));
    });
  });

  disconnectButton.addEventListener('click', function () {
    clear($('disconnect-error'));
    if (typeof dialog.showModal === 'function') {
      dialog.returnValue = '';
      dialog.showModal();
    } else if (window.confirm('Disconnect your Vapi account? The stored key is deleted; synced usage stays.')) {
      disconnect();
    }
  });
  dialog.addEventListener('close', function () {
    if (dialog.returnValue === 'disconnect') { disconnect(); } else { disconnectButton.focus(); }
  });

  function disconnect() {
    disconnectButton.disabled = true;
    api('DELETE', '/api/vapi/connect').then(function (s) {
      render(s, true);
      clear(syncError);
      syncResult.textContent = '';
      connectResult.textContent = 'Disconnected. The stored key was deleted; the usage synced so far stays on your dashboard.';
      input.focus();
    }, function (error) {
      showProblem($('disconnect-error'), error.code, error.message);
    }).then(function () {
      disconnectButton.disabled = false;
      loaded();
    });
  }

  var firstLoad = refresh(true).then(function () {
    var target = window.location.hash;
    if (target === '#connect') { input.focus(); }
    else if (target === '#sync') { syncButton.focus(); }
  });
  // The status (last sync, its outcome) follows syncs and pushed calls from anywhere.
  liveRefresh(function () { return refresh(false); }, firstLoad);
}

/**
 * What a completed sync did, in this browser's zone. The result's dates are days in UTC (the
 * incremental sync has no zone), so they are not named as such: an incremental sync is described
 * by the previous sync's time, and the first sync by the month it starts with.
 */
export function syncMessage(result, previousSync) {
  var calls = fmtCount(result.syncedCalls) + (result.syncedCalls === 1 ? ' call' : ' calls');
  if (previousSync) {
    return 'Sync complete: ' + calls + ' synced, created or changed since the last sync (' + fmtInstant(previousSync, browserZone) + ').';
  }
  return 'Sync complete: ' + calls + ' from ' + fmtDate(result.startDate) + ' until now synced.';
}

/**
 * Copies a read-only field's text and says so in status. Where the clipboard is not open to the
 * page (no secure context, or the browser refuses), the text is left selected for the user to copy.
 */
export function copyField(field, status) {
  var text = field.value;
  status.textContent = '';
  field.focus();
  field.select();
  function said(copied) {
    status.textContent = copied ? 'Copied.' : 'Selected: press Ctrl+C (⌘C on a Mac) to copy it.';
  }
  function byCommand() {
    try { return document.execCommand('copy'); } catch (e) { return false; }
  }
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).then(function () { said(true); }, function () { said(byCommand()); });
  }
  said(byCommand());
  return Promise.resolve();
}
