// The console's page kit: element helpers, the status line, and the console's API and sockets,
// every request carrying the login's CSRF token.

/** The login's CSRF token, and what to do when the console says the login ended. */
export const session = { csrf: null, loginEnded: () => {} };

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

let statusTimer = null;

/**
 * Shows a notice on the status line. A notice clears itself after a while (an error after longer), or
 * when the next one replaces it; {@code keep} holds one that stays true until something else is said
 * (waiting for the person at the Host).
 */
export function status(text, bad, keep) {
  const s = $('#status');
  s.textContent = text || '';
  s.classList.toggle('error', !!bad);
  clearTimeout(statusTimer);
  if (text && !keep) statusTimer = setTimeout(() => status(''), bad ? 30000 : 10000);
}

/** An error belongs to the page that caused it: leaving that page takes it away. */
export function clearError() {
  if ($('#status').classList.contains('error')) status('');
}

export async function api(method, path, body) {
  const headers = {};
  if (session.csrf) headers['X-Tandem-Csrf'] = session.csrf;
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  let data = {};
  try { data = await r.json(); } catch (e) { /* empty answer */ }
  if (r.status === 401 && path !== '/api/login' && path !== '/api/setup') {
    session.loginEnded('Your console login ended; log in again.');
  }
  if (!r.ok) {
    const err = new Error(data.error || ('the console answered ' + r.status));
    err.data = data;
    throw err;
  }
  // Something the supporter did worked: an older error no longer describes the state.
  if (method !== 'GET') clearError();
  return data;
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return e;
}

export function wsUrl(path, params = {}) {
  const u = new URL(path, location.href);
  u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('csrf', session.csrf);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.searchParams.set(k, v);
  return u.toString();
}
