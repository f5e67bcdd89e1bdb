// The file manager of one connection: the Guest's and the Host's folders side by side, transfers.
import { $, $$, api, el, status } from './dom.js';

export class FileManager {
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
      $('.f-refresh', pane).addEventListener('click', () => this.list(side, this.hostEmpty && side === 'host' ? '/' : this.paths[side]));
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
    $('.f-offer', p).addEventListener('click', () => {
      const sel = $('.f-list li.file.selected', this.panes.guest);
      if (!sel) { status('Select a file in this Guest\'s pane first.', true); return; }
      this.offer(sel.dataset.path);
    });
  }

  /** Offers one file to the person at the Host, who saves it where they choose. */
  async offer(path) {
    const p = this.view.page;
    try {
      await api('POST', '/api/files/offer', { connection: this.view.id, path });
      delete $('.f-state', p).dataset.state;
      $('.f-state', p).textContent = 'Offered ' + path.replace(/.*\//, '') + ': waiting for the person at the Host to save it…';
    } catch (e) { status(e.message, true); }
  }

  /** Lists both sides the first time; later, tries the Host again if it shared nothing (it may now). */
  load() {
    if (this.loaded) {
      if (this.hostEmpty) this.list('host', '/');
      return;
    }
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
      if (side === 'host') this.hostEmpty = false;
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
    } catch (e) {
      if (side === 'host' && path === '/') {
        // Nothing to browse there: say so where the folders would be (not as an error that outlives the
        // panel), and what still works; showing the panel again or Refresh tries again.
        this.hostEmpty = true;
        $('.f-list', this.panes.host).replaceChildren(el('li', { class: 'hint' }, e.message + '. Offer… gives a file of'
          + ' yours to the person at the Host, who chooses where to save it.'));
      } else {
        status(e.message, true);
      }
    }
  }

  transferSelected(from, to) {
    const sel = $('.f-list li.selected', this.panes[from]);
    if (!sel) { status('Select a file or folder in the ' + (from === 'host' ? 'Host' : 'Guest') + ' pane first.', true); return; }
    this.transfer({ side: from, path: sel.dataset.path }, { side: to, path: this.paths[to] });
  }

  async transfer(from, to) {
    const p = this.view.page;
    if (to.side === 'host' && to.path === '/') {
      // The top level holds only the shares: a file dropped there goes to the person, who chooses where.
      if (from.side === 'guest' && $(`.f-list li.file[data-path="${CSS.escape(from.path)}"]`, this.panes.guest)) { this.offer(from.path); return; }
      status('Open one of the Host\'s shared folders first, or offer a file to the person at the Host (Offer…).', true);
      return;
    }
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
    if (e.type === 'offer') {
      $('.f-state', p).dataset.state = e.state;
      $('.f-state', p).textContent = e.state === 'done' ? e.file + ': the person at the Host saved it (' + e.bytes + ' bytes).'
        : e.file + ': ' + e.error;
      return;
    }
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
