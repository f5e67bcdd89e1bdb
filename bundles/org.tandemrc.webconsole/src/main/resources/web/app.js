// The Tandem browser console. Plain DOM, no framework; every request carries the login's CSRF token.
import { $, $$, api, clearError, el, session, status, wsUrl } from './dom.js';
import { openView as open, views } from './connection.js';
import { initSupport, supportShown } from './support.js';
import { initInvitation } from './invitation.js';
import { accountsShown, initAccounts, lastUser, moveEntry, moveLabel } from './accounts.js';

let state = null;
let events = null;
session.loginEnded = showLogin;

// ---- login -------------------------------------------------------------------------------------

function setupToken() {
  const m = /setup=([A-Za-z0-9_-]+)/.exec(location.hash);
  return m ? m[1] : null;
}

/** Whether the login form sets a password through a one-time link (the first administrator's or an invited supporter's). */
let choosing = false;

async function showLogin(message) {
  session.csrf = null;
  if (events) { events.close(); events = null; }
  $('#app').classList.add('hidden');
  $('#login').classList.remove('hidden');
  const setup = state && state.setup;
  const token = setupToken();
  // An administrator's link for one supporter: whom it is for, or why it no longer works.
  let invited = null;
  if (token && !setup) {
    try { invited = (await api('POST', '/api/setup/who', { token })).user; } catch (e) {
      message = message || e.message;
      history.replaceState(null, '', '/');
    }
  }
  choosing = setup || invited !== null;
  const user = $('#login-user');
  user.value = setup ? (state.defaultUser || '') : invited !== null ? invited : lastUser();
  user.readOnly = invited !== null;
  user.required = !setup;
  user.autocomplete = choosing ? 'off' : 'username';
  $('#login-confirm-row').classList.toggle('hidden', !choosing);
  $('#login-submit').textContent = choosing ? 'Set password' : 'Log in';
  $('#login-password').autocomplete = choosing ? 'new-password' : 'current-password';
  if (setup && !token) {
    $('#login-intro').textContent = 'The console has no account yet. Open the one-time setup link the node printed when it started.';
    $('#login-submit').disabled = true;
  } else {
    $('#login-submit').disabled = false;
    $('#login-intro').textContent = setup
      ? 'Choose the console password (at least ' + state.minPassword + ' characters) of the first administrator account, and keep or change its user name. There is no default password.'
      : invited !== null ? 'Welcome, ' + invited + ': choose your console password (at least ' + state.minPassword + ' characters). Nobody else knows it.'
        : 'Log in with your user name and password.';
  }
  $('#login-error').textContent = message || '';
  (user.value || user.readOnly ? $('#login-password') : user).focus();
}

async function submitLogin(ev) {
  ev.preventDefault();
  const password = $('#login-password').value;
  const user = $('#login-user').value.trim();
  try {
    let r;
    if (choosing) {
      if (password !== $('#login-confirm').value) throw new Error('the two passwords differ');
      r = await api('POST', '/api/setup', { token: setupToken(), user, password });
      history.replaceState(null, '', '/');
    } else {
      r = await api('POST', '/api/login', { user, password });
    }
    session.csrf = r.csrf;
    $('#login-password').value = '';
    $('#login-confirm').value = '';
    await start();
  } catch (e) {
    $('#login-error').textContent = e.message;
  }
}

async function start() {
  state = await api('GET', '/api/state');
  // A supporter's one-time link opens its form even in a browser someone is logged in with.
  if (!state.loggedIn || (setupToken() && !state.setup)) { await showLogin(); return; }
  session.csrf = state.csrf;
  $('#login').classList.add('hidden');
  $('#app').classList.remove('hidden');
  $('#local-card').classList.toggle('hidden', !state.local);
  $('#local-address').textContent = state.local || '';
  accountsShown(state);
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
  ws.onclose = () => { if (events === ws && session.csrf) setTimeout(() => { if (events === ws && session.csrf) openEvents(); }, 2000); };
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
  if (e.type === 'transfer' || e.type === 'offer') view.transferEvent(e);
}

// ---- tabs --------------------------------------------------------------------------------------

function showTab(name) {
  clearError();
  // A closed connection's page stays only while it is shown: leaving it (or connecting anew) drops it.
  for (const v of [...views.values()]) if (v.isClosed && v.id !== name) v.dispose();
  $$('.page').forEach((p) => p.classList.add('hidden'));
  supportShown(name === 'support');
  $$('#tabs .tab, #connection-tabs .tab').forEach((t) => t.classList.toggle('active', t.dataset.tab === name));
  if (views.has(name)) {
    views.get(name).show();
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
  // The store lists its top level as the folder "": show it once, first.
  for (const f of [''].concat(r.folders.filter((x) => x !== ''))) {
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
        el('button', { class: 'pb-move', onclick: () => moveEntry(e) }, moveLabel()), ' ',
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
  // An administrator sees everyone's connections, with who made each.
  const all = state.administrator;
  $('#history-table thead tr').replaceChildren(...['Time'].concat(all ? ['Supporter'] : [], ['Address', 'Record', 'Host', 'Outcome'])
    .map((h) => el('th', { scope: 'col' }, h)));
  const body = $('#history-table tbody');
  body.replaceChildren();
  for (const h of r.history) {
    body.append(el('tr', {}, el('td', {}, new Date(h.time).toLocaleString()), ...(all ? [el('td', {}, h.user || '—')] : []),
      el('td', {}, h.address), el('td', {}, h.label || ''), el('td', {}, h.hostName || ''), el('td', {}, h.outcome)));
  }
  if (!r.history.length) body.append(el('tr', {}, el('td', { colspan: all ? 6 : 5, class: 'hint' }, 'No connections yet.')));
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

function openView(info) {
  return open(info, showTab);
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
  initInvitation((c) => showTab(openView(c).id));
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
  initSupport({ connect });
  initAccounts();
  window.tandem = { views, api }; // for the browser tests
  try { await start(); } catch (e) { status(e.message, true); }
});
