// One connection's page: its panels (remote control, files, chat, message, tools) and its tab.
import { $, $$, api, clearError, el, status } from './dom.js';
import { FileManager } from './files.js';
import { RemoteView } from './screen.js';
import { ToolsPane } from './tools.js';

/** Connection id to its view. */
export const views = new Map();

// One view per connection: the connection list (refreshed by the event socket) may learn of a new
// connection before the answer to the request that made it arrives.
export function openView(info, showTab) {
  const existing = views.get(info.id);
  if (existing) {
    existing.info = info;
    return existing;
  }
  const view = new ConnectionView(info, showTab);
  views.set(info.id, view);
  return view;
}

class ConnectionView {
  constructor(info, showTab) {
    this.id = info.id;
    this.info = info;
    this.page = $('#connection-template').content.firstElementChild.cloneNode(true);
    this.page.dataset.connection = info.id;
    $('#connection-pages').append(this.page);
    this.tabLabel = document.createTextNode(info.hostName);
    this.tab = el('button', { type: 'button', class: 'tab', title: info.address, dataset: { tab: info.id }, onclick: () => showTab(info.id) },
      el('i', { class: 'bi bi-circle-fill small', 'aria-hidden': 'true' }), this.tabLabel);
    $('#connection-tabs').append(this.tab);
    this.page.setAttribute('aria-label', info.hostName);
    $('.c-title', this.page).textContent = info.hostName + ' — ' + info.address;
    $('.c-role', this.page).replaceChildren(el('span', { class: 'badge text-bg-light border' }, el('i', { class: 'bi bi-person-badge me-1', 'aria-hidden': 'true' }), info.role),
      el('span', { class: 'badge text-bg-light border font-monospace fw-normal', title: 'The Host\'s key: ' + (info.fingerprint || '') },
        el('i', { class: 'bi bi-key me-1', 'aria-hidden': 'true' }), (info.fingerprint || '').replace(/^(.{18}).+$/, '$1…')));
    this.panelTabs();
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

  /**
   * Shows this connection's page. The first time, the screen starts by itself when the role may view
   * it: connecting is asking to see the Host.
   */
  show() {
    this.page.classList.remove('hidden');
    this.remote.fit();
    if (this.shownOnce || this.isClosed) return;
    this.shownOnce = true;
    if ((this.info.privileges || []).includes('VIEW_SCREEN')) this.remote.start();
    else this.remote.notAllowed();
  }

  /**
   * The panels are tabs of one tab list: Left/Right/Home/End move between them (and show the one
   * reached), Tab leaves the list for the shown panel.
   */
  panelTabs() {
    const tabs = $$('.panel-tab', this.page);
    tabs.forEach((b) => {
      const panel = $('.panel-' + b.dataset.panel, this.page);
      b.id = 'c-' + this.id + '-tab-' + b.dataset.panel;
      panel.id = 'c-' + this.id + '-' + b.dataset.panel;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', b.id);
      b.setAttribute('aria-controls', panel.id);
      b.addEventListener('click', () => this.panel(b.dataset.panel));
      b.addEventListener('keydown', (ev) => {
        const i = tabs.indexOf(b);
        const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
        if (to === undefined) return;
        ev.preventDefault();
        const next = tabs[(to + tabs.length) % tabs.length];
        this.panel(next.dataset.panel);
        next.focus();
      });
    });
  }

  panel(name) {
    clearError();
    $$('.panel-tab', this.page).forEach((b) => {
      const on = b.dataset.panel === name;
      b.classList.toggle('active', on);
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    });
    $$('.panel', this.page).forEach((p) => p.classList.toggle('hidden', !p.classList.contains('panel-' + name)));
    if (name === 'remote') this.remote.fit();
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
    if (e.type === 'chat-open' || e.type === 'chat-ended') {
      // One chat at a time: Start while none goes on, End while one does.
      $('.ch-open', this.page).disabled = e.type === 'chat-open';
      $('.ch-end', this.page).disabled = e.type === 'chat-ended';
    }
    if (e.type === 'chat-open') {
      if (e.byHost) this.panel('chat');
      this.chatLine('sys', e.byHost ? 'The person at ' + e.host + ' opened a chat.' : 'Chat with ' + e.host + ' started.');
      $('.ch-input', this.page).focus();
    }
    if (e.type === 'chat-ended') this.chatLine('sys', 'Chat ended: ' + e.reason);
  }

  transferEvent(e) { this.files.event(e); }

  closed(reason) {
    this.isClosed = true;
    this.remote.stop();
    this.tabLabel.textContent = this.info.hostName + ' (closed)';
    this.tab.classList.add('closed');
    $$('button, input, select, textarea', this.page).forEach((b) => { b.disabled = true; });
    $('.c-title', this.page).textContent = this.info.hostName + ' — disconnected: ' + reason;
    setTimeout(() => {
      if (views.get(this.id) === this && !this.page.classList.contains('hidden')) return; // leave it visible while shown
      this.dispose();
    }, 1000);
  }

  dispose() {
    this.remote.dispose();
    views.delete(this.id);
    this.page.remove();
    this.tab.remove();
  }
}
