// The Security Server's pages (administrators, on a node that also runs the role): its nodes, Guest IDs,
// rules, one-time codes and audit trail. Every change runs the role's own administration, so it is the
// same TSECSS* event `tandem admin security` records, naming the console administrator.
import { $, $$, api, confirmDialog, el, session, status } from './dom.js';
import { dataTable } from './table.js';
import * as fmt from './format.js';

let view = 'nodes';
// The Audit view searches once by itself, the first time it is shown; then on Search.
let auditSearched = false;

function showError(message) {
  $('#security-error').textContent = message || '';
  $('#security-error').classList.toggle('hidden', !message);
}

/** Runs a change, then shows the page again; an error stays on the page in its own words. */
async function change(path, body, done) {
  showError('');
  try {
    const r = await api('POST', '/api/security/' + path, body);
    if (done) status(done);
    await loadSecurity();
    return r;
  } catch (e) { showError(e.message); return null; }
}

const STATE = { pending: 'text-bg-warning', approved: 'text-bg-success', disabled: 'text-bg-secondary' };

const nodesTable = dataTable({
  label: 'Security Server nodes',
  key: (n) => n.fingerprint,
  rowAttrs: (n) => ({ 'data-fingerprint': n.fingerprint }),
  columns: [
    { key: 'name', label: 'Name', render: (n) => el('strong', {}, n.name) },
    { key: 'state', label: 'State', render: (n) => el('span', { class: 'badge ' + (STATE[n.state] || 'text-bg-light') }, n.state),
      sortValue: (n) => (n.state === 'pending' ? 0 : 1) },
    { key: 'kind', label: 'Kind' },
    { key: 'groups', label: 'Groups', text: (n) => n.groups.join(', '), render: (n) => n.groups.join(', ') || '—' },
    { key: 'fingerprint', label: 'Key', render: (n) => el('code', { class: 'small text-break' }, n.fingerprint) },
    { key: 'lastSeen', label: 'Last seen', type: 'time' },
  ],
  rows: [],
  sort: 'state',
  actions: [
    { label: 'Approve', icon: 'check-circle', primary: true, class: 'security-approve', when: (n) => n.state !== 'approved', run: approve },
    { label: 'Disable', icon: 'slash-circle', danger: true, when: (n) => n.state !== 'disabled',
      confirm: (n) => 'Disable ' + n.name + ' (' + n.fingerprint + ')? Its next connection is refused.',
      run: (n) => change('nodes/disable', { fingerprint: n.fingerprint }, 'Disabled ' + n.name + '.') },
  ],
  empty: 'No node has connected yet. Give a node this server\'s address and key in its etc/org.tandemrc.security.client.cfg '
    + '(feature security-client): it appears here as pending at its first connection.',
});

/** Approve asks for the node's name and groups in its own dialog, which is the confirmation. */
function approve(n) {
  $('#security-approve-text').textContent = 'Approve the ' + n.kind + ' with the key ' + n.fingerprint + '?';
  $('#security-approve-name').value = n.name;
  $('#security-approve-groups').value = n.groups.join(', ');
  const d = $('#security-approve-dialog');
  d.dataset.fingerprint = n.fingerprint;
  d.showModal();
  $('#security-approve-name').select();
}

async function approved(ev) {
  ev.preventDefault();
  const d = $('#security-approve-dialog');
  d.close();
  await change('nodes/approve', { fingerprint: d.dataset.fingerprint, name: $('#security-approve-name').value,
    groups: $('#security-approve-groups').value }, 'Approved ' + $('#security-approve-name').value + '.');
}

const guestsTable = dataTable({
  label: 'Guest IDs',
  key: (g) => g.id,
  rowAttrs: (g) => ({ 'data-guest': g.id }),
  columns: [
    { key: 'id', label: 'Guest ID', render: (g) => el('strong', {}, g.id) },
    { key: 'state', label: 'State', text: (g) => (g.disabled ? 'disabled' : 'active'),
      render: (g) => el('span', { class: 'badge ' + (g.disabled ? 'text-bg-secondary' : 'text-bg-success') }, g.disabled ? 'disabled' : 'active') },
    { key: 'groups', label: 'Groups', text: (g) => g.groups.join(', '), render: (g) => g.groups.join(', ') || '—' },
    { key: 'otp', label: 'One-time code', text: (g) => otpText(g), render: (g) => otpText(g) },
  ],
  rows: [],
  sort: 'id',
  actions: [
    { label: 'Enable', icon: 'check-circle', when: (g) => g.disabled, run: (g) => change('guests/enable', { id: g.id }, 'Enabled ' + g.id + '.') },
    { label: 'Disable', icon: 'slash-circle', when: (g) => !g.disabled,
      confirm: (g) => 'Disable the Guest ID ' + g.id + '? Its logons are refused until you enable it.',
      run: (g) => change('guests/disable', { id: g.id }, 'Disabled ' + g.id + '.') },
    { label: 'Delete', icon: 'trash', danger: true,
      confirm: (g) => 'Delete the Guest ID ' + g.id + '? Its password and groups are gone; the audit trail keeps its events.',
      run: (g) => change('guests/delete', { id: g.id }, 'Deleted ' + g.id + '.') },
  ],
  empty: 'No Guest IDs. Add one above, or let a directory (directory = ldap or pam in etc/org.tandemrc.security.server.cfg) check the names.',
});

function otpText(g) {
  return g.otpRequired ? 'required' : g.otpEnrolled ? 'enrolled, not required' : '—';
}

async function addGuest(ev) {
  ev.preventDefault();
  const id = $('#security-guest-id').value.trim();
  const password = $('#security-guest-password').value;
  if (password !== $('#security-guest-again').value) { showError('The two passwords differ.'); return; }
  const r = await change('guests/add', { id, password, again: $('#security-guest-again').value,
    groups: $('#security-guest-groups').value }, 'Added the Guest ID ' + id + '.');
  if (r) $('#security-guest-add').reset();
}

const rulesTable = dataTable({
  label: 'Rules, tried in order',
  key: (r) => String(r.position),
  rowAttrs: (r) => ({ 'data-position': String(r.position) }),
  columns: [
    { key: 'position', label: 'Order', type: 'number' },
    { key: 'guest', label: 'Guest', render: (r) => el('code', {}, r.guest) },
    { key: 'host', label: 'Host', render: (r) => el('code', {}, r.host) },
    { key: 'role', label: 'Role' },
  ],
  rows: [],
  sort: 'position',
  filter: false,
  actions: [
    { label: 'Remove', icon: 'trash', danger: true,
      confirm: (r) => 'Remove rule ' + r.position + ' (guest ' + r.guest + ', host ' + r.host + ', role ' + r.role + ')? The rules after it move up.',
      run: (r) => change('rules/remove', { position: r.position }, 'Removed rule ' + r.position + '.') },
  ],
  empty: 'No rules: every logon is denied. Add one above, for example guest * , host * , role View only.',
});

async function addRule(ev) {
  ev.preventDefault();
  const position = $('#security-rule-position').value.trim();
  const r = await change('rules/add', { guest: $('#security-rule-guest').value.trim(), host: $('#security-rule-host').value.trim(),
    role: $('#security-rule-role').value.trim(), position: position ? Number(position) : 0 });
  if (r) { status('Added rule ' + r.position + '.'); $('#security-rule-add').reset(); }
}

const otpTable = dataTable({
  label: 'One-time codes of Guest IDs',
  key: (g) => g.id,
  rowAttrs: (g) => ({ 'data-otp': g.id }),
  columns: [
    { key: 'id', label: 'Guest ID', render: (g) => el('strong', {}, g.id) },
    { key: 'otp', label: 'One-time code', text: (g) => otpText(g), render: (g) => otpText(g) },
  ],
  rows: [],
  sort: 'id',
  actions: [
    { label: 'Enrol', icon: 'qr-code', when: (g) => !g.otpEnrolled, run: (g) => enrol(g.id) },
    { label: 'Require', icon: 'lock', when: (g) => g.otpEnrolled && !g.otpRequired,
      confirm: (g) => 'Require a one-time code for ' + g.id + '? Every logon then needs the code from their app.',
      run: (g) => change('otp/require', { id: g.id, on: true }, 'A one-time code is required for ' + g.id + '.') },
    { label: 'Do not require', icon: 'unlock', when: (g) => g.otpRequired,
      confirm: (g) => 'Stop requiring a one-time code for ' + g.id + '?',
      run: (g) => change('otp/require', { id: g.id, on: false }, 'A one-time code is no longer required for ' + g.id + '.') },
  ],
  empty: 'No Guest IDs yet. A directory user is enrolled by name above.',
});

async function enrol(id) {
  if (!await confirmDialog('Enrol ' + id, 'Make a new one-time code secret for ' + id + '? A secret enrolled before stops working.', 'Enrol')) return;
  const r = await change('otp/enrol', { id });
  if (!r) return;
  $('#security-otp-heading').textContent = 'Scan with an authenticator app: ' + r.id;
  $('#security-otp-qr').src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(r.svg);
  $('#security-otp-qr').alt = 'QR code of the one-time code secret for ' + r.id;
  $('#security-otp-secret').textContent = r.secret;
  $('#security-otp-uri').textContent = r.uri;
  $('#security-otp-dialog').showModal();
}

function otpShown() {
  // Shown once: nothing of the secret stays in the page after the dialog.
  $('#security-otp-qr').removeAttribute('src');
  $('#security-otp-secret').textContent = '';
  $('#security-otp-uri').textContent = '';
}

const auditTable = dataTable({
  label: 'Audit events',
  key: (r) => String(r.id),
  columns: [
    { key: 'id', label: 'Row', type: 'number' },
    { key: 'time', label: 'Time', render: (r) => fmt.dateTime(r.time) },
    { key: 'code', label: 'Code', render: (r) => el('code', {}, r.code) },
    { key: 'severity', label: 'Severity' },
    { key: 'node', label: 'Node' },
    { key: 'peer', label: 'Peer' },
    { key: 'user', label: 'User' },
    { key: 'detail', label: 'Detail' },
  ],
  rows: [],
  sort: 'id',
  descending: true,
  empty: 'No events match. Widen the filters, or search with none to see the latest 100.',
});

function auditFilter() {
  const f = {};
  for (const k of ['since', 'until', 'node', 'user', 'code']) f[k] = $('#security-audit-' + k).value.trim();
  return f;
}

async function searchAudit(ev) {
  if (ev) ev.preventDefault();
  showError('');
  try {
    const r = await api('POST', '/api/security/audit/search', auditFilter());
    auditTable.update(r.rows);
  } catch (e) { showError(e.message); }
}

async function verifyAudit() {
  showError('');
  const v = $('#security-audit-verdict');
  try {
    const r = await api('POST', '/api/security/audit/verify', {});
    v.textContent = r.ok ? 'OK: ' + fmt.count(r.rows) + ' rows, the chain and its head match.'
      : 'BROKEN: ' + r.problem + ' (' + fmt.count(r.rows) + ' rows before it match).';
    v.className = 'alert mt-3 ' + (r.ok ? 'alert-success' : 'alert-danger');
  } catch (e) { showError(e.message); }
}

/** The export is the answer itself (text/csv), fetched with this login's token and saved as a file. */
async function exportAudit() {
  showError('');
  try {
    const r = await fetch('/api/security/audit/export', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Tandem-Csrf': session.csrf }, body: JSON.stringify(auditFilter()) });
    if (!r.ok) {
      let message = 'the console answered ' + r.status;
      try { message = (await r.json()).error || message; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    const url = URL.createObjectURL(await r.blob());
    const a = el('a', { href: url, download: 'tandem-audit.csv', class: 'hidden' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    status('The audit CSV is downloaded.');
  } catch (e) { showError(e.message); }
}

function showView(name) {
  view = name;
  $$('#security-views .nav-link').forEach((b) => {
    b.classList.toggle('active', b.dataset.view === name);
    if (b.dataset.view === name) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  });
  $$('.security-view').forEach((v) => v.classList.toggle('hidden', v.dataset.view !== name));
  if (name === 'audit' && !auditSearched) { auditSearched = true; searchAudit(); }
}

/** Shows the page again from the server. */
export async function loadSecurity() {
  try {
    const r = await api('GET', '/api/security');
    nodesTable.update(r.nodes);
    guestsTable.update(r.guests);
    rulesTable.update(r.rules);
    otpTable.update(r.guests);
    $('#security-views [data-view="audit"]').classList.toggle('hidden', !r.audit);
  } catch (e) { showError(e.message); }
}

/** After a login: the tab for administrators of a console whose node runs the Security Server. */
export function securityShown(state) {
  $('#security-tab').classList.toggle('hidden', !state.securityServer);
}

export function initSecurity() {
  $('#security-nodes').append(nodesTable);
  $('#security-guests').append(guestsTable);
  $('#security-rules').append(rulesTable);
  $('#security-otp').append(otpTable);
  $('#security-audit').append(auditTable);
  $$('#security-views .nav-link').forEach((b) => b.addEventListener('click', () => showView(b.dataset.view)));
  $('#security-approve-form').addEventListener('submit', approved);
  $('#security-approve-cancel').addEventListener('click', () => $('#security-approve-dialog').close());
  $('#security-guest-add').addEventListener('submit', addGuest);
  $('#security-rule-add').addEventListener('submit', addRule);
  $('#security-otp-enrol').addEventListener('submit', (ev) => { ev.preventDefault(); enrol($('#security-otp-user').value.trim()); });
  $('#security-otp-dialog').addEventListener('close', otpShown);
  $('#security-audit-form').addEventListener('submit', searchAudit);
  $('#security-audit-verify').addEventListener('click', verifyAudit);
  $('#security-audit-export').addEventListener('click', exportAudit);
  $('#security-tab').addEventListener('click', () => { showView(view); loadSecurity(); });
}
