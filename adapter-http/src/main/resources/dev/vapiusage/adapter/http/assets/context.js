// The page's context: its name, the CSRF token and base path from the meta tags, the browser's zone.

export var body = document.body;
export var pageName = body.getAttribute('data-page');
export var csrfMeta = document.querySelector('meta[name="csrf-token"]');
export var csrf = csrfMeta ? csrfMeta.getAttribute('content') : null;
// The path the routes are mounted under ('' standalone, '/admin/vapi' inside a host application).
export var baseMeta = document.querySelector('meta[name="vapi-usage-base"]');
export var basePath = baseMeta ? baseMeta.getAttribute('content') : '';
export var reducedMotion = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
export var browserZone = (function () {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch (e) {
    return 'UTC';
  }
})();
