'use strict';
// The Tandem browser console. Plain DOM, no framework; every request carries the login's CSRF token.

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
let csrf = null;
let state = null;
let events = null;
const views = new Map(); // connection id -> ConnectionView

function status(text, bad) {
  const s = $('#status');
  s.textContent = text || '';
  s.classList.toggle('error', !!bad);
}

async function api(method, path, body) {
  const headers = {};
  if (csrf) headers['X-Tandem-Csrf'] = csrf;
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  let data = {};
  try { data = await r.json(); } catch (e) { /* empty answer */ }
  if (r.status === 401 && path !== '/api/login' && path !== '/api/setup') {
    showLogin('Your console login ended; log in again.');
  }
  if (!r.ok) {
    const err = new Error(data.error || ('the console answered ' + r.status));
    err.data = data;
    throw err;
  }
  return data;
}

function el(tag, attrs = {}, ...children) {
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

// ---- login -------------------------------------------------------------------------------------

function setupToken() {
  const m = /setup=([A-Za-z0-9_-]+)/.exec(location.hash);
  return m ? m[1] : null;
}

function showLogin(message) {
  csrf = null;
  if (events) { events.close(); events = null; }
  $('#app').classList.add('hidden');
  $('#login').classList.remove('hidden');
  const setup = state && state.setup;
  const token = setupToken();
  $('#login-confirm-row').classList.toggle('hidden', !setup);
  $('#login-submit').textContent = setup ? 'Set password' : 'Log in';
  $('#login-password').autocomplete = setup ? 'new-password' : 'current-password';
  if (setup && !token) {
    $('#login-intro').textContent = 'No console password is set yet. Open the one-time setup link the node printed when it started.';
    $('#login-submit').disabled = true;
  } else {
    $('#login-submit').disabled = false;
    $('#login-intro').textContent = setup
      ? 'Choose the console password (at least ' + state.minPassword + ' characters). There is no default password.'
      : 'Log in with the console password.';
  }
  $('#login-error').textContent = message || '';
  $('#login-password').focus();
}

async function submitLogin(ev) {
  ev.preventDefault();
  const password = $('#login-password').value;
  try {
    let r;
    if (state.setup) {
      if (password !== $('#login-confirm').value) throw new Error('the two passwords differ');
      r = await api('POST', '/api/setup', { token: setupToken(), password });
      history.replaceState(null, '', '/');
    } else {
      r = await api('POST', '/api/login', { password });
    }
    csrf = r.csrf;
    $('#login-password').value = '';
    $('#login-confirm').value = '';
    await start();
  } catch (e) {
    $('#login-error').textContent = e.message;
  }
}

async function start() {
  state = await api('GET', '/api/state');
  if (!state.loggedIn) { showLogin(); return; }
  csrf = state.csrf;
  $('#login').classList.add('hidden');
  $('#app').classList.remove('hidden');
  $('#local-card').classList.toggle('hidden', !state.local);
  $('#local-address').textContent = state.local || '';
  openEvents();
  showTab('quick');
  await refreshConnections();
  await loadHelp().catch(() => {});
}

function openEvents() {
  if (events) events.close();
  const ws = new WebSocket(wsUrl('/ws/events'));
  events = ws;
  ws.onmessage = (m) => onEvent(JSON.parse(m.data));
  ws.onclose = () => { if (events === ws && csrf) setTimeout(() => { if (events === ws && csrf) openEvents(); }, 2000); };
}

function wsUrl(path, params = {}) {
  const u = new URL(path, location.href);
  u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('csrf', csrf);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.searchParams.set(k, v);
  return u.toString();
}

function onEvent(e) {
  if (e.type === 'connections') { refreshConnections(); return; }
  if (e.type === 'help') { loadHelp().catch(() => {}); return; }
  const view = views.get(e.connection);
  if (e.type === 'closed') {
    if (view) view.closed(e.reason);
    status('Connection to ' + (view ? view.info.hostName : e.connection) + ' ended: ' + e.reason);
    return;
  }
  if (!view) return;
  if (e.type === 'chat' || e.type === 'chat-open' || e.type === 'chat-ended') view.chatEvent(e);
  if (e.type === 'transfer') view.transferEvent(e);
}

// ---- tabs --------------------------------------------------------------------------------------

function showTab(name) {
  $$('.page').forEach((p) => p.classList.add('hidden'));
  $$('#tabs .tab, #connection-tabs .tab').forEach((t) => t.classList.toggle('active', t.dataset.tab === name));
  if (views.has(name)) {
    views.get(name).page.classList.remove('hidden');
  } else {
    $('#tab-' + name).classList.remove('hidden');
    if (name === 'phonebook') loadPhonebook().catch((e) => status(e.message, true));
    if (name === 'history') loadHistory().catch((e) => status(e.message, true));
    if (name === 'help') loadHelp().catch((e) => status(e.message, true));
    if (name === 'connections') refreshConnections();
  }
}

// ---- connecting --------------------------------------------------------------------------------

async function connect(body) {
  status('Connecting…');
  try {
    const r = await api('POST', '/api/connect', body);
    status('Connected to ' + r.connection.hostName + ' as ' + r.connection.role + ' (' + r.connection.keyNote + ').');
    const view = openView(r.connection);
    showTab(view.id);
    return view;
  } catch (e) {
    if (e.data && e.data.keyChanged && confirm(e.message + '\n\nAccept the new key and connect?')) {
      return connect(Object.assign({}, body, { acceptChangedKey: true }));
    }
    status(e.message, true);
    throw e;
  }
}

async function refreshConnections() {
  let r;
  try { r = await api('GET', '/api/connections'); } catch (e) { return; }
  const body = $('#connections-table tbody');
  body.replaceChildren();
  for (const c of r.connections) {
    if (!views.has(c.id)) openView(c);
    views.get(c.id).info = c;
    body.append(el('tr', { dataset: { id: c.id } },
      el('td', {}, c.hostName), el('td', {}, c.address), el('td', {}, c.role),
      el('td', {}, new Date(c.since).toLocaleTimeString()), el('td', { class: 'sessions' }, c.sessions.join(', ') || '—'),
      el('td', {}, el('button', { onclick: () => showTab(c.id) }, 'Open'), ' ',
        el('button', { class: 'danger', onclick: () => api('POST', '/api/disconnect', { connection: c.id }).catch((e) => status(e.message, true)) }, 'Disconnect'))));
  }
  if (!r.connections.length) body.append(el('tr', {}, el('td', { colspan: 6, class: 'hint' }, 'No open connections.')));
}

// ---- phonebook ---------------------------------------------------------------------------------

let pbFolder = '';
let pbEntries = [];
let pbEditing = null;

async function loadPhonebook() {
  const r = await api('GET', '/api/phonebook');
  pbEntries = r.entries;
  const folders = $('#pb-folders');
  folders.replaceChildren();
  for (const f of [''].concat(r.folders)) {
    folders.append(el('li', { class: f === pbFolder ? 'selected' : '', dataset: { folder: f },
      onclick: () => { pbFolder = f; loadPhonebook(); } }, f || '(top level)'));
  }
  const body = $('#pb-table tbody');
  body.replaceChildren();
  for (const e of pbEntries.filter((x) => x.folder === pbFolder)) {
    body.append(el('tr', { dataset: { description: e.description } },
      el('td', {}, e.description), el('td', {}, e.name), el('td', {}, e.profile), el('td', {}, e.hostLogon),
      el('td', {}, e.hasPassword ? 'stored' : '—'), el('td', {}, e.comment),
      el('td', {},
        el('button', { class: 'pb-connect', onclick: () => connect({ folder: e.folder, description: e.description }).catch(() => {}) }, 'Connect'), ' ',
        el('button', { onclick: () => editEntry(e) }, 'Edit'), ' ',
        el('button', { onclick: () => exportDwc(e) }, '.dwc'), ' ',
        el('button', { class: 'danger', onclick: () => deleteEntry(e) }, 'Delete'))));
  }
  if (!body.children.length) body.append(el('tr', {}, el('td', { colspan: 7, class: 'hint' }, 'No records in this folder.')));
}

function editEntry(e) {
  pbEditing = e;
  $('#pb-form').classList.remove('hidden');
  $('#pb-form-title').textContent = e ? 'Edit ' + e.description : 'New record';
  $('#pb-folder').value = e ? e.folder : pbFolder;
  $('#pb-description').value = e ? e.description : '';
  $('#pb-name').value = e ? e.name : '';
  $('#pb-profile').value = e ? e.profile : '';
  $('#pb-logon').value = e ? e.hostLogon : '';
  $('#pb-password').value = '';
  $('#pb-comment').value = e ? e.comment : '';
  $('#pb-description').focus();
}

async function saveEntry(ev) {
  ev.preventDefault();
  const body = {
    folder: $('#pb-folder').value.trim(), description: $('#pb-description').value.trim(),
    name: $('#pb-name').value.trim(), profile: $('#pb-profile').value.trim(), hostLogon: $('#pb-logon').value.trim(),
    comment: $('#pb-comment').value,
  };
  if ($('#pb-password').value) body.hostPassword = $('#pb-password').value;
  if (pbEditing) { body.originalFolder = pbEditing.folder; body.originalDescription = pbEditing.description; }
  try {
    await api('POST', '/api/phonebook/save', body);
    $('#pb-form').classList.add('hidden');
    pbFolder = body.folder;
    status('Saved ' + body.description + '.');
    await loadPhonebook();
  } catch (e) { status(e.message, true); }
}

async function deleteEntry(e) {
  if (!confirm('Delete the record ' + e.description + '?')) return;
  try { await api('POST', '/api/phonebook/delete', { folder: e.folder, description: e.description }); await loadPhonebook(); } catch (x) { status(x.message, true); }
}

function download(name, type, text) {
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

async function exportCsv() {
  try {
    const r = await api('POST', '/api/phonebook/export', { folder: pbFolder, passphrase: $('#pb-passphrase').value });
    download((pbFolder || 'phonebook').replace(/[\/\\]/g, '-') + '.csv', 'text/csv', r.csv);
    status('Exported ' + (pbFolder || 'the top level') + ' as CSV' + ($('#pb-passphrase').value ? ' (passwords encrypted with the passphrase).' : ' (without passwords: give a passphrase to include them).'));
  } catch (e) { status(e.message, true); }
}

async function exportDwc(e) {
  try {
    const r = await api('POST', '/api/phonebook/export-dwc', { folder: e.folder, description: e.description, passphrase: $('#pb-passphrase').value });
    download(e.description + '.dwc', 'text/xml', r.xml);
  } catch (x) { status(x.message, true); }
}

async function importFile(input, kind) {
  const file = input.files[0];
  if (!file) return;
  const text = await file.text();
  input.value = '';
  try {
    if (kind === 'csv') {
      const r = await api('POST', '/api/phonebook/import', { folder: pbFolder, csv: text, passphrase: $('#pb-passphrase').value });
      status('Imported ' + r.imported + ' records from ' + file.name + '.');
    } else {
      const r = await api('POST', '/api/phonebook/import-dwc', { folder: pbFolder, xml: text, passphrase: $('#pb-passphrase').value });
      status('Imported ' + r.entry.description + ' from ' + file.name + '.');
    }
    await loadPhonebook();
  } catch (e) { status(e.message, true); }
}

async function loadHistory() {
  const r = await api('GET', '/api/history');
  const body = $('#history-table tbody');
  body.replaceChildren();
  for (const h of r.history) {
    body.append(el('tr', {}, el('td', {}, new Date(h.time).toLocaleString()), el('td', {}, h.address), el('td', {}, h.label || ''),
      el('td', {}, h.hostName || ''), el('td', {}, h.outcome)));
  }
  if (!r.history.length) body.append(el('tr', {}, el('td', { colspan: 5, class: 'hint' }, 'No connections yet.')));
}

// ---- help requests -----------------------------------------------------------------------------

let helpTaking = null;

async function loadHelp() {
  const r = await api('GET', '/api/help');
  $('#help-tab').classList.toggle('hidden', !r.offered);
  if (!r.offered) return;
  const count = $('#help-count');
  count.textContent = String(r.requests.length);
  count.classList.toggle('hidden', !r.requests.length);
  $('#help-services').textContent = 'Help services: ' + r.services.join(', ') + '; Hosts send requests to '
    + (r.listening.join(', ') || 'nowhere yet') + (r.problems.length ? ' (' + r.problems.join('; ') + ')' : '') + '.';
  const body = $('#help-table tbody');
  body.replaceChildren();
  for (const h of r.requests) {
    body.append(el('tr', { dataset: { id: h.id } },
      el('td', {}, new Date(h.received).toLocaleTimeString()), el('td', {}, h.service), el('td', {}, h.hostName),
      el('td', {}, h.user), el('td', {}, h.problem), el('td', { title: 'key ' + h.fingerprint }, h.address),
      el('td', {}, el('button', { class: 'help-take', onclick: () => takeHelp(h) }, 'Take'), ' ',
        el('button', { class: 'danger', onclick: () => declineHelp(h) }, 'Decline'))));
  }
  if (!r.requests.length) body.append(el('tr', {}, el('td', { colspan: 7, class: 'hint' }, 'No pending help requests.')));
  if (helpTaking && !r.requests.some((h) => h.id === helpTaking.id)) closeHelpForm();
}

function takeHelp(h) {
  helpTaking = h;
  $('#help-form-title').textContent = 'Take the request of ' + h.hostName + (h.user ? ' (' + h.user + ')' : '');
  $('#help-form').classList.remove('hidden');
  $('#help-password').focus();
}

function closeHelpForm() {
  helpTaking = null;
  $('#help-form').classList.add('hidden');
  $('#help-password').value = '';
}

async function submitHelp(ev) {
  ev.preventDefault();
  const h = helpTaking;
  if (!h) return;
  status('Logging on to ' + h.hostName + '…');
  try {
    const r = await api('POST', '/api/help/take', { id: h.id, guestId: $('#help-guest-id').value, password: $('#help-password').value });
    closeHelpForm();
    status('Helping ' + r.connection.hostName + ' as ' + r.connection.role + '.');
    const view = openView(r.connection);
    showTab(view.id);
  } catch (e) {
    closeHelpForm();
    status(e.message, true);
  }
}

async function declineHelp(h) {
  const reason = prompt('Decline the help request of ' + h.hostName + '? The Host is told this reason:', 'no supporter is free now');
  if (reason === null) return;
  try { await api('POST', '/api/help/decline', { id: h.id, reason }); status('Declined the help request of ' + h.hostName + '.'); } catch (e) { status(e.message, true); }
}

// ---- one connection ----------------------------------------------------------------------------

// One view per connection: the connection list (refreshed by the event socket) may learn of a new
// connection before the answer to the request that made it arrives.
function openView(info) {
  const existing = views.get(info.id);
  if (existing) {
    existing.info = info;
    return existing;
  }
  const view = new ConnectionView(info);
  views.set(info.id, view);
  return view;
}

class ConnectionView {
  constructor(info) {
    this.id = info.id;
    this.info = info;
    this.page = $('#connection-template').content.firstElementChild.cloneNode(true);
    this.page.dataset.connection = info.id;
    $('#connection-pages').append(this.page);
    this.tab = el('button', { class: 'tab', dataset: { tab: info.id }, onclick: () => showTab(info.id) }, info.hostName);
    $('#connection-tabs').append(this.tab);
    $('.c-title', this.page).textContent = info.hostName + ' — ' + info.address;
    $('.c-role', this.page).textContent = 'role ' + info.role + ', ' + info.fingerprint;
    $$('.panel-tab', this.page).forEach((b) => b.addEventListener('click', () => this.panel(b.dataset.panel)));
    $('.c-disconnect', this.page).addEventListener('click', () => api('POST', '/api/disconnect', { connection: this.id }).catch((e) => status(e.message, true)));
    this.remote = new RemoteView(this);
    this.files = new FileManager(this);
    $('.ch-open', this.page).addEventListener('click', () => api('POST', '/api/chat/open', { connection: this.id }).catch((e) => this.chatLine('sys', e.message)));
    $('.ch-end', this.page).addEventListener('click', () => api('POST', '/api/chat/end', { connection: this.id }).catch((e) => this.chatLine('sys', e.message)));
    $('.ch-form', this.page).addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = $('.ch-input', this.page);
      const text = input.value;
      if (!text.trim()) return;
      api('POST', '/api/chat/send', { connection: this.id, text }).then(() => { this.chatLine('me', 'You: ' + text); input.value = ''; })
        .catch((e) => this.chatLine('sys', e.message));
    });
    $('.m-form', this.page).addEventListener('submit', (ev) => {
      ev.preventDefault();
      const text = $('.m-text', this.page).value;
      $('.m-result', this.page).textContent = 'Sending…';
      api('POST', '/api/message', { connection: this.id, text }).then((r) => { $('.m-result', this.page).textContent = r.result; })
        .catch((e) => { $('.m-result', this.page).textContent = e.message; });
    });
    this.tools = new ToolsPane(this);
  }

  panel(name) {
    $$('.panel-tab', this.page).forEach((b) => b.classList.toggle('active', b.dataset.panel === name));
    $$('.panel', this.page).forEach((p) => p.classList.toggle('hidden', !p.classList.contains('panel-' + name)));
    if (name === 'files') this.files.load();
    if (name === 'tools') this.tools.load();
  }

  chatLine(kind, text) {
    const log = $('.ch-log', this.page);
    log.append(el('div', { class: kind }, text));
    log.scrollTop = log.scrollHeight;
  }

  chatEvent(e) {
    if (e.type === 'chat') this.chatLine('peer', e.from + ': ' + e.text);
    if (e.type === 'chat-open') { this.chatLine('sys', 'Chat with ' + e.host + ' started.'); $('.ch-input', this.page).focus(); }
    if (e.type === 'chat-ended') this.chatLine('sys', 'Chat ended: ' + e.reason);
  }

  transferEvent(e) { this.files.event(e); }

  closed(reason) {
    this.remote.stop();
    this.tab.textContent = this.info.hostName + ' (closed)';
    $$('button, input, select, textarea', this.page).forEach((b) => { b.disabled = true; });
    $('.c-title', this.page).textContent = this.info.hostName + ' — disconnected: ' + reason;
    setTimeout(() => {
      if (views.get(this.id) === this && !this.page.classList.contains('hidden')) return; // leave it visible while shown
      this.dispose();
    }, 1000);
  }

  dispose() {
    views.delete(this.id);
    this.page.remove();
    this.tab.remove();
  }
}

// ---- remote control ----------------------------------------------------------------------------

const KEYSYMS = {
  Backspace: 0xff08, Tab: 0xff09, Enter: 0xff0d, Escape: 0xff1b, Delete: 0xffff, Home: 0xff50, ArrowLeft: 0xff51,
  ArrowUp: 0xff52, ArrowRight: 0xff53, ArrowDown: 0xff54, PageUp: 0xff55, PageDown: 0xff56, End: 0xff57,
  Insert: 0xff63, PrintScreen: 0xff61, Pause: 0xff13, ContextMenu: 0xff67, Shift: 0xffe1, Control: 0xffe3,
  Alt: 0xffe9, AltGraph: 0xfe03, Meta: 0xffeb, OS: 0xffeb, CapsLock: 0xffe5, NumLock: 0xff7f, ScrollLock: 0xff14,
  F1: 0xffbe, F2: 0xffbf, F3: 0xffc0, F4: 0xffc1, F5: 0xffc2, F6: 0xffc3, F7: 0xffc4, F8: 0xffc5, F9: 0xffc6,
  F10: 0xffc7, F11: 0xffc8, F12: 0xffc9,
};
const NAMED = { ctrl: 0xffe3, alt: 0xffe9, shift: 0xffe1, super: 0xffeb, del: 0xffff, tab: 0xff09, f4: 0xffc1, print: 0xff61, esc: 0xff1b };

function charKeysym(ch) {
  const cp = ch.codePointAt(0);
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return 0x01000000 + cp;
}

class RemoteView {
  constructor(view) {
    this.view = view;
    const p = view.page;
    this.canvas = $('canvas.screen', p);
    this.ctx = this.canvas.getContext('2d', { alpha: false });
    this.pointerCanvas = $('canvas.pointer', p);
    this.box = $('.screen-box', p);
    this.info = $('.r-info', p);
    this.ws = null;
    this.frames = 0;
    this.syncs = new Map();
    this.syncId = 0;
    this.pendingPointer = null;
    this.cursor = { x: 0, y: 0, hotX: 0, hotY: 0 };
    $('.r-start', p).addEventListener('click', () => (this.ws ? this.stop() : this.start()));
    $('.r-scale', p).addEventListener('change', () => this.scale());
    $('.r-full', p).addEventListener('click', () => this.box.requestFullscreen && this.box.requestFullscreen());
    $('.r-display', p).addEventListener('change', () => this.change());
    $('.r-quality', p).addEventListener('change', () => this.change());
    $('.r-keys', p).addEventListener('change', (ev) => {
      const combo = ev.target.value;
      ev.target.value = '';
      if (combo) this.send({ t: 'keys', keysyms: combo.split('+').map((k) => NAMED[k] || charKeysym(k)) });
      this.canvas.focus();
    });
    $('.r-clip-send', p).addEventListener('click', () => this.send({ t: 'clipboard-set', text: $('.r-clip', p).value }));
    $('.r-clip-get', p).addEventListener('click', () => this.send({ t: 'clipboard-get' }));
    $('.r-lock', p).addEventListener('change', (ev) => this.send({ t: 'lock', on: ev.target.checked }));
    $('.r-blank', p).addEventListener('change', (ev) => this.send({ t: 'blank', on: ev.target.checked }));
    this.canvas.addEventListener('keydown', (ev) => this.key(ev));
    this.canvas.addEventListener('mousemove', (ev) => this.move(ev));
    this.canvas.addEventListener('mousedown', (ev) => { this.canvas.focus(); this.move(ev, true); this.send({ t: 'button', button: ev.button + 1, down: true }); ev.preventDefault(); });
    this.canvas.addEventListener('mouseup', (ev) => { this.move(ev, true); this.send({ t: 'button', button: ev.button + 1, down: false }); ev.preventDefault(); });
    this.canvas.addEventListener('contextmenu', (ev) => ev.preventDefault());
    this.canvas.addEventListener('wheel', (ev) => { this.send({ t: 'wheel', dx: Math.sign(ev.deltaX), dy: Math.sign(ev.deltaY) }); ev.preventDefault(); }, { passive: false });
    this.scale();
    setInterval(() => { if (this.ws) { this.info.textContent = this.layoutText + ' · ' + this.frames + ' updates/s'; this.frames = 0; } }, 1000);
  }

  start() {
    const p = this.view.page;
    this.ws = new WebSocket(wsUrl('/ws/screen', { connection: this.view.id, quality: $('.r-quality', p).value, display: $('.r-display', p).value || null }));
    this.ws.binaryType = 'arraybuffer';
    this.layoutText = 'opening…';
    this.info.textContent = 'opening…';
    $('.r-start', p).textContent = 'Stop viewing';
    this.ws.onmessage = (m) => (typeof m.data === 'string' ? this.text(JSON.parse(m.data)) : this.binary(m.data));
    this.ws.onclose = () => { this.ws = null; $('.r-start', p).textContent = 'View screen'; };
    this.canvas.focus();
  }

  stop() { if (this.ws) this.ws.close(); }

  send(m) { if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(m)); }

  /** Resolves once the Host has handled everything sent before. */
  sync() {
    const id = String(++this.syncId);
    return new Promise((resolve) => { this.syncs.set(id, resolve); this.send({ t: 'sync', id }); });
  }

  change() {
    const p = this.view.page;
    this.send({ t: 'view', display: $('.r-display', p).value || null, quality: $('.r-quality', p).value });
  }

  scale() {
    const fit = $('.r-scale', this.view.page).value === 'fit';
    this.box.classList.toggle('fit', fit);
  }

  text(m) {
    const p = this.view.page;
    if (m.t === 'layout') {
      this.canvas.width = m.shown.width;
      this.canvas.height = m.shown.height;
      const sel = $('.r-display', p);
      const current = sel.value;
      sel.replaceChildren(el('option', { value: '' }, 'All monitors'));
      for (const d of m.displays) sel.append(el('option', { value: d.id }, d.id + ' (' + d.width + '×' + d.height + ')'));
      sel.value = m.displays.some((d) => d.id === current) ? current : '';
      $('.r-viewonly', p).classList.toggle('hidden', !m.viewOnly);
      this.layoutText = m.shown.width + '×' + m.shown.height + ' via ' + m.backend;
      this.canvas.dataset.ready = 'true';
    } else if (m.t === 'clipboard') {
      $('.r-clip', p).value = m.text;
      status('The Host\'s clipboard is in the clipboard box.');
    } else if (m.t === 'refused') {
      status('The Host refused: ' + m.reason, true);
    } else if (m.t === 'closed') {
      status('Remote control ended: ' + m.reason, m.reason !== 'the Guest closed the view');
    } else if (m.t === 'synced') {
      const r = this.syncs.get(m.id);
      if (r) { this.syncs.delete(m.id); r(); }
    }
  }

  binary(buf) {
    const v = new DataView(buf);
    const type = v.getUint8(0);
    if (type === 1) {
      const x = v.getInt32(1), y = v.getInt32(5), w = v.getInt32(9), h = v.getInt32(13);
      this.ctx.putImageData(new ImageData(new Uint8ClampedArray(buf, 17, w * h * 4), w, h), x, y);
      this.frames++;
      this.canvas.dataset.frames = String((+this.canvas.dataset.frames || 0) + 1);
    } else if (type === 2) {
      const c = this.cursor;
      c.x = v.getInt32(1); c.y = v.getInt32(5);
      const w = v.getInt32(17), h = v.getInt32(21);
      if (w >= 0) {
        c.hotX = v.getInt32(9); c.hotY = v.getInt32(13);
        this.pointerCanvas.width = Math.max(w, 1);
        this.pointerCanvas.height = Math.max(h, 1);
        const pc = this.pointerCanvas.getContext('2d');
        pc.clearRect(0, 0, this.pointerCanvas.width, this.pointerCanvas.height);
        if (w > 0) pc.putImageData(new ImageData(new Uint8ClampedArray(buf, 25, w * h * 4), w, h), 0, 0);
      }
      this.placePointer();
    }
  }

  placePointer() {
    const k = this.canvas.clientWidth / (this.canvas.width || 1);
    const s = this.pointerCanvas.style;
    s.left = (this.canvas.offsetLeft + (this.cursor.x - this.cursor.hotX) * k) + 'px';
    s.top = (this.canvas.offsetTop + (this.cursor.y - this.cursor.hotY) * k) + 'px';
    s.width = (this.pointerCanvas.width * k) + 'px';
  }

  move(ev, now) {
    const r = this.canvas.getBoundingClientRect();
    const x = Math.round((ev.clientX - r.left) * this.canvas.width / r.width);
    const y = Math.round((ev.clientY - r.top) * this.canvas.height / r.height);
    if (now) { this.pendingPointer = null; this.send({ t: 'pointer', x, y }); return; }
    const first = !this.pendingPointer;
    this.pendingPointer = { x, y };
    if (first) requestAnimationFrame(() => { if (this.pendingPointer) { this.send(Object.assign({ t: 'pointer' }, this.pendingPointer)); this.pendingPointer = null; } });
  }

  // Printable keys are sent as text, so the Host types exactly that character whatever its layout;
  // anything with Ctrl, Alt or Meta, and the named keys, go as keysyms with the modifiers held.
  key(ev) {
    if (!this.ws) return;
    const k = ev.key;
    if (k === 'Shift' || k === 'Control' || k === 'Alt' || k === 'Meta' || k === 'AltGraph' || k === 'OS' || k === 'Dead') return;
    ev.preventDefault();
    const printable = [...k].length === 1;
    if (printable && !ev.ctrlKey && !ev.altKey && !ev.metaKey) { this.send({ t: 'type', text: k }); return; }
    const sym = printable ? charKeysym(k.toLowerCase()) : KEYSYMS[k];
    if (!sym) return;
    const keys = [];
    if (ev.ctrlKey) keys.push(0xffe3);
    if (ev.altKey) keys.push(0xffe9);
    if (ev.metaKey) keys.push(0xffeb);
    if (ev.shiftKey && !printable) keys.push(0xffe1);
    keys.push(sym);
    this.send({ t: 'keys', keysyms: keys });
  }
}

// ---- files -------------------------------------------------------------------------------------

class FileManager {
  constructor(view) {
    this.view = view;
    const p = view.page;
    this.panes = { guest: $('.pane-guest', p), host: $('.pane-host', p) };
    this.paths = { guest: '', host: '/' };
    this.loaded = false;
    for (const side of ['guest', 'host']) {
      const pane = this.panes[side];
      $('.f-up', pane).addEventListener('click', () => this.list(side, this.parents[side] ?? this.paths[side]));
      $('.f-path', pane).addEventListener('change', (ev) => this.list(side, ev.target.value));
      pane.addEventListener('dragover', (ev) => { ev.preventDefault(); pane.classList.add('drop'); });
      pane.addEventListener('dragleave', () => pane.classList.remove('drop'));
      pane.addEventListener('drop', (ev) => {
        ev.preventDefault();
        pane.classList.remove('drop');
        const data = ev.dataTransfer.getData('application/x-tandem-file');
        if (!data) return;
        const src = JSON.parse(data);
        if (src.side !== side) this.transfer(src, { side, path: this.paths[side] });
      });
    }
    this.parents = {};
    $('.f-to-host', p).addEventListener('click', () => this.transferSelected('guest', 'host'));
    $('.f-to-guest', p).addEventListener('click', () => this.transferSelected('host', 'guest'));
  }

  load() {
    if (this.loaded) return;
    this.loaded = true;
    this.list('guest', '');
    this.list('host', '/');
  }

  async list(side, path) {
    try {
      const q = side === 'host' ? '/api/files/host?connection=' + encodeURIComponent(this.view.id) + '&path=' + encodeURIComponent(path)
        : '/api/files/local?path=' + encodeURIComponent(path);
      const r = await api('GET', q);
      this.paths[side] = r.path;
      this.parents[side] = r.parent;
      const pane = this.panes[side];
      $('.f-path', pane).value = r.path;
      const list = $('.f-list', pane);
      list.replaceChildren();
      for (const e of r.entries) {
        const full = side === 'host' ? (r.path.replace(/\/+$/, '') + '/' + e.name) : (r.path.replace(/\/+$/, '') + '/' + e.name);
        const li = el('li', { class: e.kind === 'FOLDER' ? 'folder' : 'file', draggable: 'true', dataset: { name: e.name, path: full },
          title: e.kind === 'FILE' ? e.size + ' bytes, ' + new Date(e.modified).toLocaleString() : e.name }, e.name);
        li.addEventListener('click', () => { $$('li', list).forEach((x) => x.classList.remove('selected')); li.classList.add('selected'); });
        li.addEventListener('dblclick', () => { if (e.kind === 'FOLDER') this.list(side, full); });
        li.addEventListener('dragstart', (ev) => { ev.dataTransfer.setData('application/x-tandem-file', JSON.stringify({ side, path: full })); ev.dataTransfer.effectAllowed = 'copy'; });
        list.append(li);
      }
    } catch (e) { status(e.message, true); }
  }

  transferSelected(from, to) {
    const sel = $('.f-list li.selected', this.panes[from]);
    if (!sel) { status('Select a file or folder in the ' + (from === 'host' ? 'Host' : 'Guest') + ' pane first.', true); return; }
    this.transfer({ side: from, path: sel.dataset.path }, { side: to, path: this.paths[to] });
  }

  async transfer(from, to) {
    const p = this.view.page;
    if (to.side === 'host' && to.path === '/') { status('Open one of the Host\'s shared folders first.', true); return; }
    const options = {
      overwrite: $('.f-overwrite', p).value, subfolders: $('.f-subfolders', p).checked, delta: $('.f-delta', p).checked,
      hidden: $('.f-hidden', p).checked, oneWay: $('.f-oneway', p).checked,
    };
    const op = $('.f-op', p).value;
    try {
      const r = await api('POST', '/api/files/transfer', { connection: this.view.id, op, from, to, options });
      this.current = r.transfer;
      $('.f-progress', p).classList.remove('hidden');
      $('.f-progress', p).value = 0;
      $('.f-state', p).textContent = op + ' ' + from.path + ' → ' + to.path + ' …';
    } catch (e) { status(e.message, true); }
  }

  event(e) {
    const p = this.view.page;
    const bar = $('.f-progress', p);
    if (e.state === 'running') {
      if (e.size > 0) bar.value = e.done / e.size;
      $('.f-state', p).textContent = e.op + ': ' + (e.file || 'planning') + (e.size ? ' ' + Math.round(100 * e.done / e.size) + '%' : '')
        + (e.plannedFiles ? ' (' + e.plannedFiles + ' files, ' + e.plannedBytes + ' bytes)' : '');
      return;
    }
    bar.value = 1;
    const r = e.result;
    $('.f-state', p).dataset.state = e.state;
    $('.f-state', p).textContent = e.state === 'done'
      ? 'Done: ' + r.files + ' files written (' + r.bytes + ' bytes, ' + r.wireBytes + ' on the wire), ' + r.skipped + ' skipped, ' + r.deleted + ' deleted.'
      : 'Failed: ' + (e.error || (r.failed.join('; ') + (r.stopped ? ' (stopped)' : '')));
    $('.f-log', p).textContent = (e.log || []).join('\n');
    this.list('guest', this.paths.guest);
    this.list('host', this.paths.host);
  }
}

// ---- tools -------------------------------------------------------------------------------------

class ToolsPane {
  constructor(view) { this.view = view; this.loaded = false; }

  async load() {
    if (this.loaded) return;
    const p = this.view.page;
    const list = $('.t-list', p);
    try {
      const r = await api('GET', '/api/tools?connection=' + encodeURIComponent(this.view.id));
      this.loaded = true;
      list.replaceChildren();
      let section = null;
      for (const t of r.tools) {
        if (t.section !== section) { section = t.section; list.append(el('li', { class: 'hint' }, section)); }
        list.append(el('li', { dataset: { tool: t.id }, onclick: () => this.show(t) }, t.title));
      }
      if (!r.tools.length) list.append(el('li', { class: 'hint' }, 'The Host offers no tools to your role.'));
    } catch (e) { list.replaceChildren(el('li', { class: 'error' }, e.message)); }
  }

  show(tool) {
    const body = $('.t-body', this.view.page);
    body.replaceChildren(el('h2', {}, tool.title));
    for (const op of tool.operations) {
      const form = el('form', { class: 'card', dataset: { operation: op.id } }, el('h3', {}, op.title));
      for (const f of op.parameters) form.append(el('label', {}, f.label + (f.required ? ' *' : ''), field(f)));
      form.append(el('button', { type: 'submit' }, op.changesHost ? op.title + '…' : op.title));
      const out = el('div', { class: 't-result' });
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (op.changesHost && !confirm(op.title + ' on ' + this.view.info.hostName + '?')) return;
        const args = {};
        for (const f of op.parameters) {
          const input = form.elements[f.name];
          args[f.name] = f.type === 'BOOLEAN' ? String(input.checked) : input.value;
        }
        out.replaceChildren(el('p', { class: 'hint' }, 'Running…'));
        try {
          const r = await api('POST', '/api/tools/invoke', { connection: this.view.id, tool: tool.id, operation: op.id, arguments: args });
          out.replaceChildren(renderResult(r.result));
        } catch (e) { out.replaceChildren(el('p', { class: 'error' }, e.message)); }
      });
      body.append(form, out);
    }
  }
}

function field(f) {
  if (f.type === 'CHOICE') return el('select', { name: f.name }, ...f.choices.map((c) => el('option', { value: c }, c)));
  if (f.type === 'BOOLEAN') return el('input', { type: 'checkbox', name: f.name });
  if (f.type === 'INTEGER') { const i = el('input', { type: 'number', step: '1', name: f.name }); i.required = f.required; return i; }
  if (f.type === 'SECRET') return el('input', { type: 'password', name: f.name });
  const i = el('input', { name: f.name });
  if (f.required) i.required = true;
  return i;
}

function renderResult(r) {
  if (r.kind === 'message') return el('p', { class: 't-message' }, r.text);
  if (r.kind === 'form') {
    const t = el('table', { class: 'grid' });
    for (const f of r.fields) t.append(el('tr', {}, el('th', {}, f.label), el('td', {}, r.values[f.name] ?? '')));
    return t;
  }
  const t = el('table', { class: 'grid t-table' }, el('thead', {}, el('tr', {}, ...r.columns.map((c) => el('th', {}, c.label)))));
  const body = el('tbody');
  for (const row of r.rows) body.append(el('tr', {}, ...row.map((v) => el('td', {}, v))));
  t.append(body);
  return el('div', {}, el('p', { class: 'hint' }, r.rows.length + ' rows'), t);
}

// ---- wiring ------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', async () => {
  $('#login-form').addEventListener('submit', submitLogin);
  $('#logout').addEventListener('click', async () => { try { await api('POST', '/api/logout', {}); } catch (e) { /* gone anyway */ } state.setup = false; showLogin('Logged out.'); });
  $$('#tabs .tab').forEach((t) => t.addEventListener('click', () => showTab(t.dataset.tab)));
  $('#quick-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    connect({ address: $('#quick-address').value, profile: $('#quick-profile').value, guestId: $('#quick-guest-id').value, password: $('#quick-password').value })
      .then(() => { $('#quick-password').value = ''; }).catch(() => {});
  });
  $('#local-connect').addEventListener('click', () => connect({ local: true }).catch(() => {}));
  $('#pb-new').addEventListener('click', () => editEntry(null));
  $('#pb-cancel').addEventListener('click', () => $('#pb-form').classList.add('hidden'));
  $('#pb-form').addEventListener('submit', saveEntry);
  $('#help-form').addEventListener('submit', submitHelp);
  $('#help-cancel').addEventListener('click', closeHelpForm);
  $('#pb-export').addEventListener('click', exportCsv);
  $('#pb-import').addEventListener('change', (ev) => importFile(ev.target, 'csv'));
  $('#pb-import-dwc').addEventListener('change', (ev) => importFile(ev.target, 'dwc'));
  $('#pb-new-folder').addEventListener('click', async () => {
    const name = prompt('New folder (use / for a subfolder):', pbFolder ? pbFolder + '/' : '');
    if (!name) return;
    try { await api('POST', '/api/phonebook/folder', { folder: name }); pbFolder = name; await loadPhonebook(); } catch (e) { status(e.message, true); }
  });
  $('#pb-delete-folder').addEventListener('click', async () => {
    if (!pbFolder || !confirm('Delete the folder ' + pbFolder + ' and its records?')) return;
    try { await api('POST', '/api/phonebook/folder-delete', { folder: pbFolder }); pbFolder = ''; await loadPhonebook(); } catch (e) { status(e.message, true); }
  });
  window.tandem = { views, api }; // for the browser tests
  try { await start(); } catch (e) { status(e.message, true); }
});
