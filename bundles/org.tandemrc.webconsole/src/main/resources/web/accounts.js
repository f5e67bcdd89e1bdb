// Supporter accounts: who is logged in (header), their own password, which phonebook they work in,
// and for administrators the Accounts page (add with a one-time link, disable, enable, reset, role, delete).
import { $, api, el, status } from './dom.js';
import { dataTable } from './table.js';

const USER_KEY = 'tandem.user';
let me = null;

/** The user name this browser logged in with last, to fill the login form. */
export function lastUser() {
  try { return localStorage.getItem(USER_KEY) || ''; } catch (e) { return ''; }
}

/** After a login: the supporter's name in the header, the Accounts tab for administrators, the shared phonebook. */
export function accountsShown(state) {
  me = state.user;
  try { localStorage.setItem(USER_KEY, me); } catch (e) { /* private mode: the form stays empty */ }
  $('#whoami-name').textContent = me;
  const who = 'Logged in as ' + me + ' (' + (state.administrator ? 'administrator' : 'supporter') + ')';
  $('#my-password').title = who + ': change your password';
  $('#my-password').setAttribute('aria-label', who + '. Change your password');
  $('#accounts-tab').classList.toggle('hidden', !state.administrator);
  showBook('shared');
}

// ---- the phonebook this login works in ----------------------------------------------------------

function showBook(book) {
  const input = $('#pb-book-' + book);
  if (input) input.checked = true;
}

function reloadPhonebook() {
  $('button[data-tab="phonebook"]').click();
}

async function useBook(book) {
  try {
    await api('POST', '/api/phonebook/use', { book });
    reloadPhonebook();
  } catch (e) { status(e.message, true); }
}

/** Moves a record to the other phonebook (shared to personal or back), into the same folder. */
export async function moveEntry(e) {
  try {
    const r = await api('POST', '/api/phonebook/move', { folder: e.folder, description: e.description });
    status('Moved ' + r.moved + ' to the ' + (r.to === 'personal' ? 'personal' : 'shared') + ' phonebook.');
    reloadPhonebook();
  } catch (x) { status(x.message, true); }
}

/** The label of the row button that moves a record out of the phonebook shown. */
export function moveLabel() {
  return $('#pb-book-personal') && $('#pb-book-personal').checked ? 'To shared' : 'To mine';
}

function bookSwitch() {
  const option = (book, label, icon) => [
    el('input', { type: 'radio', class: 'btn-check', name: 'pb-book', id: 'pb-book-' + book, value: book, autocomplete: 'off',
      onchange: () => useBook(book) }),
    el('label', { class: 'btn btn-sm btn-outline-primary', for: 'pb-book-' + book },
      el('i', { class: 'bi bi-' + icon, 'aria-hidden': 'true' }), ' ' + label)];
  return el('div', { class: 'pb-books btn-group', role: 'group', 'aria-label': 'Which phonebook' },
    ...option('shared', 'Shared phonebook', 'people'), ...option('personal', 'My phonebook', 'person'));
}

// ---- own password --------------------------------------------------------------------------------

function openPasswordDialog() {
  $('#password-form').reset();
  $('#password-error').textContent = '';
  $('#password-dialog').showModal();
}

async function changePassword(ev) {
  ev.preventDefault();
  const password = $('#password-new').value;
  if (password !== $('#password-again').value) { $('#password-error').textContent = 'The two new passwords differ.'; return; }
  try {
    await api('POST', '/api/password', { current: $('#password-current').value, password });
    $('#password-dialog').close();
    $('#password-form').reset();
    status('Your password is changed; your other browsers are logged out.');
  } catch (e) { $('#password-error').textContent = e.message; }
}

// ---- the Accounts page (administrators) ----------------------------------------------------------

function showLink(user, token) {
  $('#accounts-link-text').textContent = 'Give this link to ' + user + ': they choose their own password there. '
    + 'It works once, for 7 days; Reset makes a new one.';
  $('#accounts-link-url').value = location.origin + '/#setup=' + token;
  $('#accounts-link').classList.remove('hidden');
}

function showError(message) {
  $('#accounts-error').textContent = message || '';
  $('#accounts-error').classList.toggle('hidden', !message);
}

async function change(action, user, extra = {}) {
  showError('');
  try {
    const r = await api('POST', '/api/accounts/' + action, Object.assign({ user }, extra));
    // Administrators can change their own account too: what the page shows then follows the console.
    if (user === me) { location.reload(); return; }
    if (r.token) showLink(user, r.token);
    await loadAccounts();
  } catch (e) { showError(e.message); }
}

const ROLE = { administrator: 'Administrator', supporter: 'Supporter' };

/** The Accounts page's one table: the shared kind, sortable and filterable, actions on each row. */
const accountsTable = dataTable({
  label: 'Console accounts',
  key: (a) => a.name,
  rowAttrs: (a) => ({ 'data-user': a.name }),
  columns: [
    { key: 'name', label: 'User name', text: (a) => a.name,
      render: (a) => el('span', {}, el('strong', {}, a.name), a.you ? el('span', { class: 'text-body-secondary' }, ' (you)') : '') },
    { key: 'role', label: 'Role', render: (a) => ROLE[a.role] || a.role },
    { key: 'state', label: 'State', render: (a) => el('span', { class: 'badge ' + (a.state === 'active' ? 'text-bg-success'
      : a.state === 'disabled' ? 'text-bg-secondary' : 'text-bg-warning') }, a.state) },
    { key: 'logins', label: 'Logged in', type: 'number', render: (a) => (a.logins ? String(a.logins) : '—') },
  ],
  rows: [],
  sort: 'name',
  actions: [
    { label: 'Make administrator', icon: 'shield-lock', when: (a) => a.role !== 'administrator', run: (a) => change('role', a.name, { role: 'administrator' }) },
    { label: 'Make supporter', icon: 'person', when: (a) => a.role === 'administrator', run: (a) => change('role', a.name, { role: 'supporter' }) },
    { label: 'Enable', icon: 'check-circle', when: (a) => a.state === 'disabled', run: (a) => change('enable', a.name) },
    { label: 'Disable', icon: 'slash-circle', when: (a) => a.state !== 'disabled', run: (a) => change('disable', a.name) },
    // Your own password changes with Password in the header: a reset would log you out before you could copy the link.
    { label: 'Reset', icon: 'arrow-repeat', when: (a) => !a.you,
      confirm: (a) => 'Reset the password of ' + a.name + '? They are logged out and can log in again only through the new one-time link.',
      run: (a) => change('reset', a.name) },
    { label: 'Delete', icon: 'trash', danger: true,
      confirm: (a) => 'Delete the account ' + a.name + '? Their history stays in the console history; their personal phonebook stays on the node.',
      run: (a) => change('delete', a.name) },
  ],
  empty: 'No accounts.',
});

export async function loadAccounts() {
  const r = await api('GET', '/api/accounts');
  accountsTable.update(r.accounts.map((a) => Object.assign({}, a, { you: a.name === r.you })));
}

async function addAccount(ev) {
  ev.preventDefault();
  showError('');
  const user = $('#accounts-user').value.trim();
  try {
    const r = await api('POST', '/api/accounts/add', { user, role: $('#accounts-role').value });
    $('#accounts-user').value = '';
    showLink(user.toLowerCase(), r.token);
    await loadAccounts();
  } catch (e) { showError(e.message); }
}

export function initAccounts() {
  $('#my-password').addEventListener('click', openPasswordDialog);
  $('#password-form').addEventListener('submit', changePassword);
  $('#password-cancel').addEventListener('click', () => $('#password-dialog').close());
  $('#accounts-add').addEventListener('submit', addAccount);
  $('#accounts-table').append(accountsTable);
  $('#accounts-tab').addEventListener('click', () => loadAccounts().catch((e) => showError(e.message)));
  $('#accounts-link-copy').addEventListener('click', async () => {
    try { await navigator.clipboard.writeText($('#accounts-link-url').value); status('Link copied.'); } catch (e) {
      $('#accounts-link-url').select();
      status('Select and copy the link (the browser did not allow copying).');
    }
  });
  // Beside the page's title: which phonebook the page shows is part of what it is.
  $('#phonebook-title').after(bookSwitch());
}
