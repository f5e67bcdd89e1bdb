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
 * (waiting for the person at the Host). An error is announced at once (role alert), news politely.
 */
export function status(text, bad, keep) {
  const s = $('#status');
  clearTimeout(statusTimer);
  s.classList.toggle('error', !!(text && bad));
  s.setAttribute('role', text && bad ? 'alert' : 'status');
  if (!text) { s.replaceChildren(); return; }
  const dismiss = el('button', { type: 'button', class: 'btn-close', 'aria-label': 'Dismiss this notice', title: 'Dismiss' });
  dismiss.addEventListener('click', () => status(''));
  s.replaceChildren(el('i', { class: 'bi ' + (bad ? 'bi-exclamation-triangle-fill' : 'bi-info-circle-fill'), 'aria-hidden': 'true' }),
    text, dismiss); // the text itself, not wrapped: tests and readers find it on #status
  if (!keep) statusTimer = setTimeout(() => status(''), bad ? 30000 : 10000);
}

/** An error belongs to the page that caused it: leaving that page takes it away. */
export function clearError() {
  if ($('#status').classList.contains('error')) status('');
}

/**
 * A file chooser is a labelled button: the input it opens carries data-file-name, the id of the
 * element that shows the chosen file's name.
 */
document.addEventListener('change', (ev) => {
  const input = ev.target;
  if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.dataset.fileName) return;
  const shown = document.getElementById(input.dataset.fileName);
  if (shown) shown.textContent = input.files.length ? Array.from(input.files, (f) => f.name).join(', ') : 'No file chosen';
});

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

/**
 * Asks a question in the page's own dialog (not the browser's, which names the page and not the
 * question): resolves true when the supporter chose {@code ok}, false on Cancel or Esc.
 */
export function confirmDialog(title, text, ok = 'OK', danger = false) {
  return ask(title, text, ok, danger, null).then((v) => v !== null);
}

/** Asks for one line of text in the page's own dialog: the text, or null on Cancel or Esc. */
export function promptDialog(title, label, value = '', ok = 'OK') {
  return ask(title, null, ok, false, { label, value });
}

let dialogs = 0;

function ask(title, text, ok, danger, field) {
  return new Promise((resolve) => {
    const id = 'dialog-' + (++dialogs);
    const input = field ? el('input', { class: 'form-control', id: id + '-input', value: field.value }) : null;
    const okButton = el('button', { type: 'submit', class: 'btn ' + (danger ? 'btn-danger' : 'btn-primary'), value: 'ok' }, ok);
    const cancel = el('button', { type: 'button', class: 'btn btn-outline-secondary' }, 'Cancel');
    const form = el('form', { method: 'dialog', class: 'd-flex flex-column gap-3' },
      el('h2', { class: 'h5 mb-0', id: id + '-title' }, title),
      text ? el('p', { class: 'mb-0', id: id + '-text' }, text) : '',
      field ? el('div', {}, el('label', { class: 'form-label', for: id + '-input' }, field.label), input) : '',
      el('div', { class: 'd-flex justify-content-end gap-2' }, cancel, okButton));
    const d = el('dialog', { class: 'tandem-dialog', 'aria-labelledby': id + '-title' }, form);
    if (text) d.setAttribute('aria-describedby', id + '-text');
    let answer = null;
    cancel.addEventListener('click', () => d.close());
    form.addEventListener('submit', () => { answer = field ? input.value : ''; });
    d.addEventListener('close', () => { d.remove(); resolve(answer); });
    document.body.append(d);
    d.showModal();
    (input || okButton).focus();
    if (input) input.select();
  });
}
