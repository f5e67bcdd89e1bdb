// The Tandem browser console. Plain DOM, no framework; every request carries the login's CSRF token.
import { $, $$, api, clearError, confirmDialog, el, promptDialog, session, status, wsUrl } from './dom.js';
import { openView as open, views } from './connection.js';
import { dataTable } from './table.js';
import * as fmt from './format.js';
import { initSupport, supportShown } from './support.js';
import { initInvitation } from './invitation.js';
import { accountsShown, initAccounts, lastUser, moveEntry, moveLabel } from './accounts.js';
import { initSecurity, securityShown } from './security.js';
import { initBatch } from './batch.js';

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
        : state.central ? 'Log in with your organisation\'s account: the Security Server checks it.'
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
      r = await api('POST', '/api/login', { user, password, otp: $('#login-code').value.trim() });
    }
    session.csrf = r.csrf;
    $('#login-password').value = '';
    $('#login-confirm').value = '';
    $('#login-code').value = '';
    $('#login-code-row').classList.add('hidden');
    await start();
  } catch (e) {
    $('#login-error').textContent = e.message;
    // The Security Server asks for a second factor: the field appears with the password kept.
    if (e.data && e.data.codeRequired) {
      $('#login-code-row').classList.remove('hidden');
      $('#login-code').required = true;
      $('#login-code').focus();
    }
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
  securityShown(state);
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
  $$('#tabs .tab, #connection-tabs .tab').forEach((t) => {
    t.classList.toggle('active', t.dataset.tab === name);
    if (t.dataset.tab === name) t.setAttribute('aria-current', 'page'); else t.removeAttribute('aria-current');
  });
  if (views.has(name)) {
    views.get(name).show();
  } else {
    $('#tab-' + name).classList.remove('hidden');
    if (name === 'phonebook') loadPhonebook().catch((e) => status(e.message, true));
    if (name === 'history') loadHistory().catch((e) => status(e.message, true));
    if (name === 'quick') loadHistory().catch(() => {});
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
    if (e.data && e.data.keyChanged && await confirmDialog('The Host\'s key changed', e.message + ' Accept the new key and connect?', 'Accept and connect', true)) {
      return connect(Object.assign({}, body, { acceptChangedKey: true }));
    }
    if (e.data && e.data.codeRequired) {
      const code = await promptDialog('One-time code', 'One-time code (the Host asks for a second factor)', '', 'Connect');
      if (code) return connect(Object.assign({}, body, { otp: code }));
    }
    status(e.message, true);
    throw e;
  }
}

/** An empty table's line: what is missing, and what to do about it. */
function emptyState(icon, text) {
  return el('span', {}, el('i', { class: 'bi bi-' + icon, 'aria-hidden': 'true' }), el('span', {}, text));
}

const connectionsTable = dataTable({
  label: 'Open connections',
  key: (c) => c.id,
  columns: [
    { key: 'hostName', label: 'Host', render: (c) => el('strong', {}, c.hostName) },
    { key: 'address', label: 'Address', class: 'mono' },
    { key: 'role', label: 'Role' },
    { key: 'since', label: 'Since', type: 'time' },
    { key: 'sessions', label: 'Sessions', class: 'sessions', render: (c) => c.sessions.join(', ') || '—', sortValue: (c) => c.sessions.length },
  ],
  rows: [],
  actions: [
    { label: 'Open', icon: 'box-arrow-up-right', primary: true, run: (c) => showTab(c.id) },
    { label: 'Disconnect', icon: 'x-circle', danger: true,
      run: (c) => api('POST', '/api/disconnect', { connection: c.id }).catch((e) => status(e.message, true)) },
  ],
  onRow: (c) => showTab(c.id),
  empty: emptyState('plug', 'No open connections. Connect to a Host from Quick Connect or the Phonebook.'),
});

async function refreshConnections() {
  let r;
  try { r = await api('GET', '/api/connections'); } catch (e) { return; }
  for (const c of r.connections) {
    if (!views.has(c.id)) openView(c);
    views.get(c.id).info = c;
  }
  connectionsTable.update(r.connections);
}

// ---- phonebook ---------------------------------------------------------------------------------

let pbFolder = '';
let pbEntries = [];
let pbEditing = null;

const recordsTable = dataTable({
  label: 'Phonebook records',
  key: (e) => e.description,
  rowAttrs: (e) => ({ 'data-description': e.description }),
  columns: [
    { key: 'description', label: 'Description', render: (e) => el('strong', {}, e.description) },
    { key: 'name', label: 'Address', class: 'mono' },
    { key: 'profile', label: 'Profile' },
    { key: 'hostLogon', label: 'Guest ID' },
    { key: 'hasPassword', label: 'Password', sortValue: (e) => (e.hasPassword ? 1 : 0),
      render: (e) => (e.hasPassword ? el('span', { class: 'badge text-bg-light border' }, el('i', { class: 'bi bi-lock me-1', 'aria-hidden': 'true' }), 'stored') : '—') },
    { key: 'comment', label: 'Comment', class: 'cell-clip', render: (e) => el('span', { title: e.comment }, e.comment) },
  ],
  rows: [],
  actions: [
    { label: 'Connect', icon: 'plug', primary: true, class: 'pb-connect', run: (e) => connect({ folder: e.folder, description: e.description }).catch(() => {}) },
    { label: 'Edit', icon: 'pencil', iconOnly: true, class: 'pb-edit', run: (e) => editEntry(e) },
    { label: 'Export as .dwc', icon: 'download', iconOnly: true, class: 'pb-dwc', run: (e) => exportDwc(e) },
    // Its label follows the phonebook shown: "To mine" in the shared one, "To shared" in one's own.
    { get label() { return moveLabel(); }, icon: 'arrow-left-right', iconOnly: true, class: 'pb-move', run: (e) => moveEntry(e) },
    { label: 'Delete', icon: 'trash', iconOnly: true, danger: true, class: 'pb-delete',
      confirm: (e) => 'Delete the record ' + e.description + '? Its stored password goes with it.', run: (e) => deleteEntry(e) },
  ],
  onRow: (e) => editEntry(e),
  empty: emptyState('journal-plus', 'No records in this folder. Add one with New record, or import a CSV or .dwc file.'),
});

async function loadPhonebook() {
  const r = await api('GET', '/api/phonebook');
  pbEntries = r.entries;
  const folders = $('#pb-folders');
  // The store lists its top level as the folder "": show it once, first.
  const names = [''].concat(r.folders.filter((x) => x !== ''));
  folders.replaceChildren(...names.map((f) => {
    const b = el('button', { type: 'button', onclick: () => { pbFolder = f; loadPhonebook().catch((e) => status(e.message, true)); } },
      el('i', { class: 'bi ' + (f ? 'bi-folder' : 'bi-house'), 'aria-hidden': 'true' }), f || '(top level)');
    if (f === pbFolder) b.setAttribute('aria-current', 'true');
    return el('li', { class: f === pbFolder ? 'selected' : '', dataset: { folder: f } }, b);
  }));
  $('#pb-folder-list').replaceChildren(...names.filter((f) => f).map((f) => el('option', { value: f })));
  $('#pb-delete-folder').disabled = !pbFolder;
  $('#pb-records-title').textContent = pbFolder ? 'Records in ' + pbFolder : 'Records at the top level';
  recordsTable.update(pbEntries.filter((x) => x.folder === pbFolder));
}

function editEntry(e) {
  pbEditing = e;
  const dialog = $('#pb-dialog');
  if (!dialog.open) dialog.showModal();
  $('#pb-form-title').textContent = e ? 'Edit ' + e.description : 'New record';
  $('#pb-folder').value = e ? e.folder : pbFolder;
  $('#pb-description').value = e ? e.description : '';
  $('#pb-name').value = e ? e.name : '';
  $('#pb-profile').value = e ? e.profile : '';
  $('#pb-logon').value = e ? e.hostLogon : '';
  $('#pb-password').value = '';
  $('#pb-comment').value = e ? e.comment : '';
  $('#pb-form-error').textContent = '';
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
    $('#pb-dialog').close();
    pbFolder = body.folder;
    status('Saved ' + body.description + '.');
    await loadPhonebook();
  } catch (e) {
    // Said in the dialog: a notice would sit under the modal dialog's backdrop.
    $('#pb-form-error').textContent = e.message;
  }
}

async function deleteEntry(e) {
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

function makeHistoryTable(everyone) {
  const t = dataTable({
  label: 'Connection history',
  columns: [
    { key: 'time', label: 'Time', type: 'time', class: 'text-nowrap' },
    ...(everyone ? [{ key: 'user', label: 'Supporter', render: (h) => h.user || '—' }] : []),
    { key: 'address', label: 'Address', class: 'mono' },
    { key: 'label', label: 'Record' },
    { key: 'hostName', label: 'Host' },
    { key: 'outcome', label: 'Outcome', render: (h) => outcome(h.outcome) },
  ],
  rows: [],
  sort: 'time',
  descending: true,
  empty: emptyState('clock-history', 'No connections yet. Every connection you make, and every attempt that fails, is listed here.'),
  });
  t.everyone = everyone;
  return t;
}
let historyTable = makeHistoryTable(false);

/** An outcome reads at a glance: connected in green, anything else as the reason it failed. */
function outcome(text) {
  const ok = /^connected/.test(text || '');
  const f = document.createDocumentFragment();
  f.append(el('i', { class: 'bi me-1 ' + (ok ? 'bi-check-circle-fill text-success' : 'bi-x-circle-fill text-danger'), 'aria-hidden': 'true' }), text || '');
  return f;
}

async function loadHistory() {
  const r = await api('GET', '/api/history');
  // An administrator sees everyone's connections, with who made each.
  if (!!state.administrator !== historyTable.everyone) {
    const next = makeHistoryTable(!!state.administrator);
    historyTable.replaceWith(next);
    historyTable = next;
  }
  historyTable.update(r.history);
  recentHosts(r.history);
}

/** Quick Connect's last few Hosts that took the connection, newest first: one click fills the form. */
function recentHosts(history) {
  const seen = new Set();
  const recent = [];
  for (const h of history) {
    if (!/^connected/.test(h.outcome || '') || seen.has(h.address) || recent.length >= 5) continue;
    seen.add(h.address);
    recent.push(h);
  }
  $('#recent-list').replaceChildren(...recent.map((h) => el('li', {}, el('button', { type: 'button', class: 'recent-host',
    onclick: () => { $('#quick-address').value = h.address; $('#quick-password').focus(); } },
  el('i', { class: 'bi bi-display', 'aria-hidden': 'true' }),
  el('span', { class: 'recent-name' }, h.hostName || h.address), el('span', { class: 'recent-address' }, h.address),
  el('span', { class: 'recent-time' }, fmt.ago(h.time))))));
  $('#recent-empty').classList.toggle('hidden', recent.length > 0);
}

// ---- help requests -----------------------------------------------------------------------------

let helpTaking = null;

const helpTable = dataTable({
  label: 'Help requests',
  key: (h) => h.id,
  columns: [
    { key: 'received', label: 'Received', type: 'time' },
    { key: 'service', label: 'Service' },
    { key: 'hostName', label: 'Host', render: (h) => el('strong', {}, h.hostName) },
    { key: 'user', label: 'User' },
    { key: 'problem', label: 'Problem' },
    { key: 'address', label: 'From', class: 'mono', render: (h) => el('span', { title: 'key ' + h.fingerprint }, h.address) },
  ],
  rows: [],
  actions: [
    { label: 'Take', icon: 'box-arrow-in-right', primary: true, class: 'help-take', run: (h) => takeHelp(h) },
    { label: 'Decline', icon: 'x-circle', danger: true, class: 'help-decline', run: (h) => declineHelp(h) },
  ],
  empty: emptyState('life-preserver', 'No pending help requests. A Host asks for help with tandem admin help request, or from its tray menu.'),
});

async function loadHelp() {
  const r = await api('GET', '/api/help');
  $('#help-tab').classList.toggle('hidden', !r.offered);
  if (!r.offered) return;
  const count = $('#help-count');
  count.textContent = String(r.requests.length);
  count.classList.toggle('hidden', !r.requests.length);
  $('#help-services').textContent = 'Help services: ' + r.services.join(', ') + '; Hosts send requests to '
    + (r.listening.join(', ') || 'nowhere yet') + (r.problems.length ? ' (' + r.problems.join('; ') + ')' : '') + '.';
  helpTable.update(r.requests);
  if (helpTaking && !r.requests.some((h) => h.id === helpTaking.id)) closeHelpForm();
}

function takeHelp(h) {
  helpTaking = h;
  $('#help-form-title').textContent = 'Take the request of ' + h.hostName + (h.user ? ' (' + h.user + ')' : '');
  const dialog = $('#help-dialog');
  if (!dialog.open) dialog.showModal();
  $('#help-password').focus();
}

function closeHelpForm() {
  helpTaking = null;
  if ($('#help-dialog').open) $('#help-dialog').close();
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
  const reason = await promptDialog('Decline the help request of ' + h.hostName, 'The Host is told this reason:', 'no supporter is free now', 'Decline');
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
  $('#pb-cancel').addEventListener('click', () => $('#pb-dialog').close());
  $('#pb-form').addEventListener('submit', saveEntry);
  $('#help-form').addEventListener('submit', submitHelp);
  $('#help-cancel').addEventListener('click', closeHelpForm);
  $('#help-dialog').addEventListener('close', () => { helpTaking = null; $('#help-password').value = ''; });
  $('#pb-table').append(recordsTable);
  $('#history-table').append(historyTable);
  $('#help-table').append(helpTable);
  $('#connections-table').append(connectionsTable);
  $('#pb-export').addEventListener('click', exportCsv);
  $('#pb-import').addEventListener('change', (ev) => importFile(ev.target, 'csv'));
  $('#pb-import-dwc').addEventListener('change', (ev) => importFile(ev.target, 'dwc'));
  $('#pb-new-folder').addEventListener('click', async () => {
    const name = await promptDialog('New folder', 'Folder name (use / for a subfolder)', pbFolder ? pbFolder + '/' : '', 'Create');
    if (!name) return;
    try { await api('POST', '/api/phonebook/folder', { folder: name }); pbFolder = name; await loadPhonebook(); } catch (e) { status(e.message, true); }
  });
  $('#pb-delete-folder').addEventListener('click', async () => {
    if (!pbFolder || !(await confirmDialog('Delete folder', 'Delete the folder ' + pbFolder + ' and its records?', 'Delete', true))) return;
    try { await api('POST', '/api/phonebook/folder-delete', { folder: pbFolder }); pbFolder = ''; await loadPhonebook(); } catch (e) { status(e.message, true); }
  });
  initSupport({ connect });
  initAccounts();
  initSecurity();
  initBatch();
  window.tandem = { views, api }; // for the browser tests
  try { await start(); } catch (e) { status(e.message, true); }
});
