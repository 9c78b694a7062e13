// The JSON API client: requests with the CSRF token under the base path, and its errors.
import { basePath, csrf } from './context.js';

export function ApiError(status, code, message) {
  this.status = status;
  this.code = code;
  this.message = message;
}

export function api(method, url, payload) {
  var headers = { Accept: 'application/json' };
  if (csrf) { headers['X-CSRF-Token'] = csrf; }
  var init = { method: method, headers: headers, credentials: 'same-origin', cache: 'no-store' };
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(payload);
  }
  return fetch(basePath + url, init).then(function (response) {
    return response.json().catch(function () { return {}; }).then(function (json) {
      if (response.status === 401) {
        // The session ended: the page itself now redirects to the sign-in page.
        window.location.reload();
        throw new ApiError(401, 'unauthorized', 'Your session has ended. Sign in again.');
      }
      if (!response.ok) {
        throw new ApiError(response.status, json.code || 'http_' + response.status,
          json.error || 'The server answered with status ' + response.status + '.');
      }
      return json;
    });
  }, function () {
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  });
}

export function query(params) {
  var search = new URLSearchParams();
  Object.keys(params).forEach(function (key) {
    if (params[key]) { search.append(key, params[key]); }
  });
  return search.toString();
}
