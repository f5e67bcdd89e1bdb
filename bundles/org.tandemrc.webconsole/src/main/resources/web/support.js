// The Support tab: ad hoc support sessions for a computer with nothing installed. A session's code and
// link go to the person; once their temporary Host joined, Connect opens the console's normal connection
// to support:CODE through the session's profile, as often as needed, until the session ends.
import { $, api, confirmDialog, el } from './dom.js';
import { time } from './format.js';
import { dataTable } from './table.js';

let connect = null;         // the console's one connect flow (app.js)
let sessions = [];          // the open sessions, as the node last listed them
let current = null;         // the code of the waiting session shown big
let timer = null;
let poller = null;
let shown = false;
const rowErrors = new Map(); // code → the last failure of that row's action, until one succeeds

/** {connect(body) → Promise} is the console's connect flow. */
export function initSupport(deps) {
  connect = deps.connect;
  $('#support-form').addEventListener('submit', create);
  $('#support-copy-code').addEventListener('click', () => copy(currentSession() && currentSession().code, 'code'));
  $('#support-copy-link').addEventListener('click', () => copy(currentSession() && currentSession().link, 'link'));
  $('#support-renew').addEventListener('click', () => act('renew', currentSession(), $('#support-current-error')));
  $('#support-extend').addEventListener('click', () => act('extend', currentSession(), $('#support-current-error')));
  $('#support-cancel').addEventListener('click', async () => {
    const s = currentSession();
    if (s && await confirmDialog('Cancel support session', 'Cancel support session ' + s.displayCode + '? Its code stops working.', 'Cancel session', true)) {
      act('cancel', s, $('#support-current-error'));
    }
  });
  $('#support-table').append(table);
  window.addEventListener('focus', () => { if (shown) load(); });
  document.addEventListener('visibilitychange', () => { if (shown && !document.hidden) load(); });
}

/** The Support tab is shown (true) or left (false). */
export function supportShown(visible) {
  shown = visible;
  if (visible) load(); else stopPolling();
}

function currentSession() {
  return sessions.find((s) => s.code === current) || null;
}

function error(target, text) {
  if (typeof target === 'string') {
    if (text) rowErrors.set(target, text); else rowErrors.delete(target);
    const cell = document.querySelector('#support-table tr[data-key="' + target + '"] .error');
    if (cell) cell.textContent = text || '';
    return;
  }
  target.textContent = text || '';
}

export async function load() {
  let r;
  try {
    r = await api('GET', '/api/support');
  } catch (e) {
    error($('#support-list-error'), e.message);
    return;
  }
  error($('#support-list-error'), r.problems.join('; '));
  const select = $('#support-profile');
  if (select.options.length !== r.profiles.length || r.profiles.some((p, i) => select.options[i].value !== p)) {
    select.replaceChildren(...r.profiles.map((p) => el('option', { value: p }, p)));
  }
  $('#support-profile-row').classList.toggle('hidden', r.profiles.length <= 1);
  if (!$('#support-supporter').value) $('#support-supporter').value = r.supporter;
  const unavailable = !r.available ? 'Support sessions need the webconnect device on this node: add comm-webconnect to the features line of etc/node.properties.'
    : !r.profiles.length ? 'No communication profile of this node can make support sessions: add a webconnect profile with the manager, the account and its password.' : '';
  $('#support-unavailable').textContent = unavailable;
  $('#support-unavailable').classList.toggle('hidden', !unavailable);
  $('#support-new').disabled = !!unavailable;
  sessions = r.sessions;
  if (!currentSession() || currentSession().state !== 'waiting') {
    const waiting = sessions.filter((s) => s.state === 'waiting');
    current = waiting.length ? waiting[waiting.length - 1].code : null;
  }
  render();
}

function put(session) {
  const i = sessions.findIndex((s) => s.code === session.code);
  if (session.state === 'cancelled' || session.state === 'ended') {
    if (i >= 0) sessions.splice(i, 1);
  } else if (i >= 0) {
    sessions[i] = session;
  } else {
    sessions.push(session);
  }
}

async function create(ev) {
  ev.preventDefault();
  const body = { supporter: $('#support-supporter').value.trim() };
  if (!$('#support-profile-row').classList.contains('hidden')) body.profile = $('#support-profile').value;
  try {
    const r = await api('POST', '/api/support/new', body);
    error($('#support-new-error'), '');
    put(r.session);
    current = r.session.code;
    render();
  } catch (e) {
    error($('#support-new-error'), e.message);
  }
}

/** Runs `action` on session `s`; a failure shows at `errorAt` (an element, or the code of a row). */
async function act(action, s, errorAt) {
  if (!s) return;
  try {
    const r = await api('POST', '/api/support/' + action, { profile: s.profile, code: s.code });
    error(errorAt, '');
    const i = sessions.findIndex((x) => x.code === s.code);
    if (action === 'renew' && i >= 0) sessions.splice(i, 1);
    put(r.session);
    if (current === s.code && action === 'renew') current = r.session.code;
    render();
  } catch (e) {
    error(errorAt, e.message);
  }
}

async function copy(text, what) {
  const note = $('#support-copied');
  if (!text) { note.textContent = 'There is no ' + what + ' to copy.'; return; }
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // No clipboard API (a page not served over HTTPS or localhost): select it for Ctrl+C.
    const area = el('textarea', { class: 'offscreen' }, text);
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  note.textContent = 'Copied the ' + what + '.';
}

function left(ms) {
  const s = Math.ceil((ms - Date.now()) / 1000);
  if (s <= 0) return 'expired';
  const m = Math.ceil(s / 60);
  return s < 60 ? s + ' s' : m < 120 ? m + ' min' : Math.round(m / 60) + ' h';
}

function lifetime(minutes) {
  return minutes % 60 === 0 ? minutes / 60 + ' h' : minutes + ' min';
}

function render() {
  const s = currentSession();
  $('#support-current').classList.toggle('hidden', !s);
  $('#support-howto').classList.toggle('hidden', !!s);
  if (s) {
    $('#support-code').textContent = s.displayCode;
    $('#support-supporter-shown').textContent = s.supporter;
    const link = $('#support-link');
    link.textContent = s.link || 'none: the Connection Manager serves no download page';
    if (s.link) link.setAttribute('href', s.link); else link.removeAttribute('href');
    $('#support-copy-link').disabled = !s.link;
    $('#support-lifetime').textContent = lifetime(s.lifetimeMinutes);
  }
  tick();
  table.update(sessions);
  tick();
  schedule();
}

/** The countdowns, once a second. */
function tick() {
  const s = currentSession();
  if (s) {
    $('#support-valid').textContent = 'code valid until ' + time(s.codeExpires) + ' (' + left(s.codeExpires) + ')';
  }
  for (const cell of document.querySelectorAll('#support-table .support-until')) {
    const until = Number(cell.dataset.until);
    const active = cell.dataset.state === 'active';
    cell.textContent = (active ? 'ends ' : 'code valid until ') + time(until) + ' (' + left(until) + ')';
  }
}

/** A session's own buttons: Connect and End once the person's computer joined, else Show code. */
function actions(x) {
  const buttons = x.state === 'active'
    ? [el('button', { type: 'button', id: 'support-connect-' + x.code, class: 'btn btn-sm btn-outline-primary', onclick: () => connectTo(x, x.code) },
      el('i', { class: 'bi bi-plug', 'aria-hidden': 'true' }), 'Connect'),
    el('button', { type: 'button', id: 'support-end-' + x.code, class: 'btn btn-sm btn-outline-danger', onclick: async () => {
      if (await confirmDialog('End support session', 'End support session ' + x.displayCode + ' now? The person\'s temporary Host is told, and removes itself.', 'End session', true)) {
        act('end', x, x.code);
      }
    } }, el('i', { class: 'bi bi-stop-circle', 'aria-hidden': 'true' }), 'End session now')]
    : [el('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', onclick: () => { current = x.code; render(); } },
      el('i', { class: 'bi bi-eye', 'aria-hidden': 'true' }), 'Show code')];
  return el('span', { class: 'd-inline-flex align-items-center gap-2' }, ...buttons, el('span', { class: 'error small', role: 'alert' }, rowErrors.get(x.code) || ''));
}

const table = dataTable({
  label: 'Support sessions',
  key: (x) => x.code,
  columns: [
    { key: 'displayCode', label: 'Code', class: 'mono' },
    { key: 'state', label: 'State', render: (x) => (x.state === 'active'
      ? el('span', { class: 'badge text-bg-success' }, 'active: Host support-' + x.code + ' joined')
      : el('span', { class: 'badge text-bg-warning' }, 'waiting for the person\'s computer')) },
    { key: 'supporter', label: 'Supporter' },
    { key: 'until', label: 'Until', sortValue: (x) => (x.state === 'active' ? x.ends : x.codeExpires),
      render: (x) => el('span', { class: 'support-until', dataset: { until: x.state === 'active' ? x.ends : x.codeExpires, state: x.state } }) },
    { key: 'profile', label: 'Profile' },
    { key: 'actions', label: el('span', { class: 'visually-hidden' }, 'Actions'), sortable: false, render: actions },
  ],
  rows: [],
  empty: el('span', {}, el('i', { class: 'bi bi-person-heart', 'aria-hidden': 'true' }),
    el('span', {}, 'No open support sessions. Make one with New support session, then read its code to the person.')),
});

async function connectTo(s, errorAt) {
  try {
    await connect({ support: s.code, profile: s.profile });
    error(errorAt, '');
  } catch (e) {
    error(errorAt, e.message);
    load();
  }
}

/** Asks for news every 5 s while a code waits for the person's computer, every 30 s while sessions run. */
function schedule() {
  if (!timer) timer = setInterval(tick, 1000);
  stopPolling();
  if (!shown || !sessions.length) return;
  const waiting = sessions.some((s) => s.state === 'waiting');
  poller = setTimeout(() => { if (!document.hidden) load(); else schedule(); }, waiting ? 5000 : 30000);
}

function stopPolling() {
  if (poller) { clearTimeout(poller); poller = null; }
}
