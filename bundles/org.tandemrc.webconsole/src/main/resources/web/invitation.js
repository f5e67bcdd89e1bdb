// Open invitation: the supporter answers an invitation a person at a Host made (Remote Assistance the
// other way round). The invitation names the Host's addresses and key; the password comes by phone.
import { $, api, status } from './dom.js';
import { dateTime } from './format.js';

/** Wires the form; {@code opened(connection)} shows a connection the console made. */
export function initInvitation(opened) {
  const form = $('#invitation-form');
  const text = $('#invitation-text');
  const about = $('#invitation-about');
  $('#invitation-open').addEventListener('click', () => {
    form.classList.remove('hidden');
    form.scrollIntoView({ block: 'nearest' });
    text.focus();
  });
  $('#invitation-file').addEventListener('change', async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    // An invitation is a few hundred bytes: anything large is not one, and is not read.
    if (file.size > 8192) { about.textContent = 'That file is too large to be an invitation.'; return; }
    text.value = await file.text();
    describe();
  });
  text.addEventListener('change', describe);

  async function describe() {
    about.textContent = '';
    if (!text.value.trim()) return;
    try {
      const i = await api('POST', '/api/invitation/read', { invitation: text.value });
      const until = dateTime(i.expires);
      about.textContent = i.expired
        ? 'This invitation from ' + i.host + ' expired at ' + until + '; ask for a new one.'
        : 'Invitation from ' + i.host + ', valid until ' + until + '. Type the password they told you.';
      $('#invitation-password').focus();
    } catch (e) {
      about.textContent = e.message;
    }
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const password = $('#invitation-password');
    status('Connecting with the invitation…');
    try {
      const r = await api('POST', '/api/invitation/connect', { invitation: text.value, password: password.value });
      password.value = '';
      status('Connected to ' + r.connection.hostName + ' as ' + r.connection.role + ' (' + r.connection.keyNote + ').');
      opened(r.connection);
    } catch (e) {
      status(e.message, true);
    }
  });
}
