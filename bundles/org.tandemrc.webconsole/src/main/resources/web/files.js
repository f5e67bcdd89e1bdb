// The file manager of one connection: the Guest's and the Host's folders side by side as tables, transfers
// of several files with one progress, files dropped from the desktop uploaded to the Host, and Host files
// downloaded by the browser.
import { $, api, confirmDialog, el, session, status } from './dom.js';
import * as fmt from './format.js';
import { dataTable } from './table.js';

const NO_SHARES = 'This Host shares no folders: add one in etc/org.tandemrc.files.cfg on the Host'
  + ' (shares = NAME=/path/to/folder), then press Refresh. Meanwhile Offer… gives a file of yours to the person at the'
  + ' Host, who chooses where to save it.';

const KINDS = [
  [/\.(txt|md|log|csv|ini|cfg|conf|rtf|pdf|docx?|odt)$/i, 'file-earmark-text', 'document'],
  [/\.(png|jpe?g|gif|bmp|svg|webp|tiff?|ico|heic)$/i, 'file-earmark-image', 'image'],
  [/\.(zip|tar|gz|tgz|bz2|xz|7z|rar|zst|jar|deb|rpm)$/i, 'file-earmark-zip', 'archive'],
  [/\.(js|mjs|ts|java|c|h|cpp|py|sh|rb|go|rs|html?|css|json|xml|ya?ml|sql|ps1|bat)$/i, 'file-earmark-code', 'code'],
];

/** A row's icon and type for people: folders, links, and files by their extension. */
export function kindOf(e, top) {
  if (e.kind === 'FOLDER') return { icon: 'folder', type: top ? 'Shared folder' : 'Folder' };
  if (e.kind === 'LINK') return { icon: 'link-45deg', type: 'Link' };
  const ext = /.\.([^.]{1,10})$/.exec(e.name); // ".bashrc" has no extension
  for (const [re, icon, what] of KINDS) if (re.test(e.name)) return { icon, type: ext[1].toUpperCase() + ' ' + what };
  return { icon: 'file-earmark', type: ext ? ext[1].toUpperCase() + ' file' : 'File' };
}

export class FileManager {
  constructor(view) {
    this.view = view;
    const p = view.page;
    this.panes = { guest: $('.pane-guest', p), host: $('.pane-host', p) };
    this.paths = { guest: '', host: '/' };
    this.parents = {};
    this.loaded = false;
    this.ends = new Map(); // transfer id → resolve, for the work that waits for its end
    this.early = new Map(); // ends that came over the event socket before the request's answer
    this.tables = {};
    this.rows = { guest: [], host: [] };
    // What an empty pane says: the Host's changes with what it shares.
    this.empties = {
      guest: el('div', {}, 'This folder is empty.'),
      host: el('div', {}, 'This folder is empty. Drop files here from your desktop, or use Upload files…, to put them on the Host.'),
    };
    for (const side of ['guest', 'host']) {
      const pane = this.panes[side];
      this.tables[side] = this.table(side);
      $('.f-list', pane).replaceWith(this.tables[side]);
      this.tables[side].classList.add('f-list');
      this.tables[side].addEventListener('selectionchange', () => this.buttons(side));
      $('.f-up', pane).addEventListener('click', () => this.list(side, this.parents[side] ?? this.paths[side]));
      $('.f-path', pane).addEventListener('change', (ev) => this.list(side, ev.target.value));
      $('.f-refresh', pane).addEventListener('click', () => this.list(side, this.hostEmpty && side === 'host' ? '/' : this.paths[side]));
      $('.f-delete', pane).addEventListener('click', () => this.deleteChosen(side));
      pane.addEventListener('dragover', (ev) => { ev.preventDefault(); pane.classList.add('drop'); });
      pane.addEventListener('dragleave', (ev) => { if (!pane.contains(ev.relatedTarget)) pane.classList.remove('drop'); });
      pane.addEventListener('drop', (ev) => {
        ev.preventDefault();
        pane.classList.remove('drop');
        const data = ev.dataTransfer.getData('application/x-tandem-file');
        if (data) {
          const src = JSON.parse(data);
          if (src.side !== side) this.transfer(src.side, src.paths, { side, path: this.paths[side] });
          return;
        }
        const files = [...(ev.dataTransfer.files || [])];
        if (!files.length) return;
        if (side === 'host') this.upload(files);
        else status('Files from your desktop go to the Host: drop them onto the Host\'s pane.', true);
      });
    }
    $('.f-to-host', p).addEventListener('click', () => this.transferChosen('guest', 'host'));
    $('.f-to-guest', p).addEventListener('click', () => this.transferChosen('host', 'guest'));
    $('.f-offer', p).addEventListener('click', () => {
      const files = this.tables.guest.selected().filter((r) => r.kind === 'FILE');
      if (files.length !== 1) { status('Tick one file in this Guest\'s pane first: Offer… gives one file at a time.', true); return; }
      this.offer(files[0].path);
    });
    $('.f-download', p).addEventListener('click', () => this.download(this.tables.host.selected()));
    const input = $('.f-upload-input', p);
    $('.f-upload', p).addEventListener('click', () => input.click());
    input.addEventListener('change', () => { const files = [...input.files]; input.value = ''; if (files.length) this.upload(files); });
    $('.f-cancel', p).addEventListener('click', () => this.cancel());
    this.buttons('guest');
    this.buttons('host');
  }

  /** The buttons that act on ticked rows work when there are some they can act on. */
  buttons(side) {
    const chosen = this.tables[side].selected();
    const pane = this.panes[side];
    const files = chosen.filter((r) => r.kind === 'FILE').length;
    $('.f-delete', pane).disabled = !chosen.length;
    $(side === 'guest' ? '.f-to-host' : '.f-to-guest', pane).disabled = !chosen.length;
    if (side === 'guest') $('.f-offer', pane).disabled = !(chosen.length === 1 && files === 1);
    else {
      $('.f-download', pane).disabled = !files;
      // Uploads go into an open shared folder; the top level holds only the shares.
      $('.f-upload', pane).disabled = !!this.hostEmpty || this.paths.host === '/';
    }
  }

  table(side) {
    const host = side === 'host';
    const t = dataTable({
      label: host ? 'Files on the Host' : 'Files on this Guest',
      select: true,
      filter: true,
      key: (r) => r.path,
      columns: [
        { key: 'name', label: 'Name', text: (r) => r.name, class: 'f-name',
          render: (r) => el('span', { class: 'text-nowrap' }, el('i', { class: 'bi bi-' + r.icon + ' me-2 f-icon', 'aria-hidden': 'true' }), r.name) },
        { key: 'size', label: 'Size', type: 'bytes', render: (r) => (r.kind === 'FILE' ? fmt.bytes(r.size) : ''), sortValue: (r) => (r.kind === 'FOLDER' ? -1 : r.size) },
        { key: 'modified', label: 'Modified', type: 'time', render: (r) => (r.modified > 0 ? fmt.time(r.modified) : '') },
        { key: 'type', label: 'Type' },
      ],
      rows: [],
      rowAttrs: (r) => ({ 'data-name': r.name, 'data-path': r.path, draggable: 'true', class: r.kind === 'FOLDER' ? 'folder' : 'file' }),
      onRow: (r) => { if (r.kind === 'FOLDER') this.list(side, r.path); },
      actions: host
        ? [{ label: 'Download', icon: 'download', iconOnly: true, when: (r) => r.kind === 'FILE', run: (r) => this.download([r]) }]
        : [],
      empty: this.empties[side],
    });
    // As in a file manager: a click on a row chooses it alone, Ctrl-click adds or removes it, Shift-click
    // adds the rows from the last one clicked (the checkboxes do the same for the keyboard).
    let anchor = null;
    t.addEventListener('click', (ev) => {
      const tr = ev.target.closest('tbody tr[data-key]');
      if (!tr || ev.target.closest('input, button, a')) return;
      const box = (key) => t.querySelector(`tbody tr[data-key="${CSS.escape(key)}"] input.row-select`);
      const set = (key, on) => { const b = box(key); if (b && b.checked !== on) b.click(); };
      const key = tr.dataset.key;
      if (ev.shiftKey && anchor !== null) {
        const keys = [...t.querySelectorAll('tbody tr[data-key]')].map((r) => r.dataset.key);
        const [a, b] = [keys.indexOf(anchor), keys.indexOf(key)].sort((x, y) => x - y);
        if (a >= 0) for (const k of keys.slice(a, b + 1)) set(k, true);
        return;
      }
      if (ev.ctrlKey || ev.metaKey) set(key, !box(key).checked);
      else {
        for (const other of t.selected()) if (other.path !== key) set(other.path, false);
        set(key, true);
      }
      anchor = key;
    });
    t.addEventListener('dragstart', (ev) => {
      const tr = ev.target.closest && ev.target.closest('tr[data-path]');
      if (!tr) return;
      // Dragging a ticked row takes every ticked row along; an unticked one goes alone.
      const chosen = t.selected().map((r) => r.path);
      const paths = chosen.includes(tr.dataset.path) ? chosen : [tr.dataset.path];
      ev.dataTransfer.setData('application/x-tandem-file', JSON.stringify({ side, paths }));
      ev.dataTransfer.effectAllowed = 'copy';
    });
    return t;
  }

  /** Offers one file to the person at the Host, who saves it where they choose. */
  async offer(path) {
    try {
      await api('POST', '/api/files/offer', { connection: this.view.id, path });
      this.state('Offered ' + path.replace(/.*\//, '') + ': waiting for the person at the Host to save it…');
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
      const changed = this.paths[side] !== r.path;
      this.paths[side] = r.path;
      this.parents[side] = r.parent;
      if (side === 'host') this.hostEmpty = false;
      $('.f-path', this.panes[side]).value = r.path;
      const top = side === 'host' && r.path === '/';
      const rows = r.entries.map((e) => ({ ...e, path: r.path.replace(/\/+$/, '') + '/' + e.name, ...kindOf(e, top) }));
      if (changed) this.tables[side].clearSelection();
      this.rows[side] = rows;
      if (side === 'host') this.emptyHost(top ? NO_SHARES : null);
      this.tables[side].update(rows);
      this.buttons(side);
    } catch (e) {
      if (side === 'host' && path === '/') {
        // Nothing to browse there: say so where the folders would be (not as an error that outlives the
        // panel), and what still works; showing the panel again or Refresh tries again.
        this.hostEmpty = true;
        this.rows.host = [];
        this.emptyHost(/shares no folders/.test(e.message) ? NO_SHARES : e.message + '. Offer… gives a file of'
          + ' yours to the person at the Host, who chooses where to save it.');
        this.tables.host.update([]);
        $('.f-path', this.panes.host).value = '/';
        this.buttons('host');
      } else {
        status(e.message, true);
      }
    }
  }

  /** What the Host's pane says when it lists nothing: {@code text} as a notice, or (null) that the folder is empty. */
  emptyHost(text) {
    this.empties.host.replaceChildren(text ? el('div', { class: 'alert alert-info mb-0 f-hint', role: 'status' },
      el('i', { class: 'bi bi-info-circle me-2', 'aria-hidden': 'true' }), text)
      : 'This folder is empty. Drop files here from your desktop, or use Upload files…, to put them on the Host.');
  }

  transferChosen(from, to) {
    const chosen = this.tables[from].selected();
    if (!chosen.length) { status('Tick the files or folders in the ' + (from === 'host' ? 'Host' : 'Guest') + '\'s pane first.', true); return; }
    this.transfer(from, chosen.map((r) => r.path), { side: to, path: this.paths[to] });
  }

  options() {
    const p = this.view.page;
    return {
      overwrite: $('.f-overwrite', p).value, subfolders: $('.f-subfolders', p).checked, delta: $('.f-delta', p).checked,
      hidden: $('.f-hidden', p).checked, oneWay: $('.f-oneway', p).checked,
    };
  }

  async transfer(fromSide, paths, to) {
    if (to.side === 'host' && to.path === '/') {
      // The top level holds only the shares: a file dropped there goes to the person, who chooses where.
      const row = paths.length === 1 && this.rows.guest.find((r) => r.path === paths[0]);
      if (fromSide === 'guest' && row && row.kind === 'FILE') { this.offer(paths[0]); return; }
      status('Open one of the Host\'s shared folders first, or offer a file to the person at the Host (Offer…).', true);
      return;
    }
    const op = $('.f-op', this.view.page).value;
    const from = paths.map((path) => ({ side: fromSide, path }));
    await this.work(op[0].toUpperCase() + op.slice(1) + ' ' + (paths.length === 1 ? paths[0].replace(/.*\//, '') : paths.length + ' items') + ' → ' + to.path, async () => {
      const r = await api('POST', '/api/files/transfer', { connection: this.view.id, op, from: paths.length === 1 ? from[0] : from, to, options: this.options() });
      return this.ended(r.transfer);
    });
  }

  /** Deletes the ticked rows of one side after one confirmation naming them. */
  async deleteChosen(side) {
    const chosen = this.tables[side].selected();
    if (!chosen.length) { status('Tick the files or folders to delete first.', true); return; }
    const where = side === 'host' ? 'on ' + this.view.info.hostName : 'on this Guest';
    const what = chosen.length === 1 ? chosen[0].name + (chosen[0].kind === 'FOLDER' ? ' and everything in it' : '')
      : chosen.length + ' items (' + chosen.slice(0, 3).map((r) => r.name).join(', ') + (chosen.length > 3 ? ', …' : '') + ')';
    if (!(await confirmDialog('Delete', 'Delete ' + what + ' ' + where + '? This cannot be undone.', 'Delete', true))) return;
    this.begin('Deleting');
    let done = 0;
    try {
      for (const r of chosen) {
        if (this.cancelled) break;
        this.progress(done / chosen.length, 'Deleting ' + r.name + ' (' + (done + 1) + ' of ' + chosen.length + ')');
        await api('POST', '/api/files/delete', { connection: this.view.id, place: { side, path: r.path } });
        done++;
      }
      this.finish(this.cancelled ? 'cancelled' : 'done', (this.cancelled ? 'Cancelled: ' : 'Done: ') + done + ' of ' + chosen.length + ' deleted.');
    } catch (e) {
      this.finish('failed', 'Failed: ' + e.message + ' (' + done + ' of ' + chosen.length + ' deleted)');
    }
    this.tables[side].clearSelection();
    this.list(side, this.paths[side]);
  }

  /** Uploads files of this computer into the Host's open folder, one after the other, with one progress. */
  async upload(files) {
    const dir = this.paths.host;
    if (this.hostEmpty || dir === '/') { status('Open one of the Host\'s shared folders first: uploads go into the open folder.', true); return; }
    const total = files.reduce((n, f) => n + f.size, 0);
    let before = 0;
    let written = 0;
    this.begin('Upload');
    this.planned = { files: files.length, bytes: total };
    try {
      for (let i = 0; i < files.length && !this.cancelled; i++) {
        const f = files[i];
        const id = await this.send(f, dir, (sent) => this.showBytes('Uploading ' + f.name, i, files.length, before + sent, total));
        if (this.cancelled) break;
        this.current = id;
        const end = await this.ended(id);
        if (end.state !== 'done') { this.finishTransfer(end); return; }
        written += end.result.files;
        before += f.size;
      }
      const what = files.length === 1 && written === 1 ? files[0].name : written + ' of ' + files.length + ' files';
      this.finish(this.cancelled ? 'cancelled' : 'done', (this.cancelled ? 'Cancelled after uploading ' : 'Done: uploaded ') + what
        + ' (' + fmt.bytes(before) + ') into ' + dir + '.');
    } catch (e) {
      this.finish('failed', 'Failed: ' + e.message);
    }
    this.list('host', this.paths.host);
  }

  /** Streams one file to the console, which copies it on to the Host; resolves with that copy's transfer id. */
  send(file, dir, onProgress) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      this.xhr = x;
      x.open('POST', '/api/files/upload?connection=' + encodeURIComponent(this.view.id) + '&path=' + encodeURIComponent(dir)
        + '&name=' + encodeURIComponent(file.name) + '&overwrite=' + encodeURIComponent($('.f-overwrite', this.view.page).value));
      x.setRequestHeader('X-Tandem-Csrf', session.csrf);
      x.setRequestHeader('Content-Type', 'application/octet-stream');
      x.upload.onprogress = (ev) => onProgress(ev.loaded);
      x.onload = () => {
        this.xhr = null;
        let data = {};
        try { data = JSON.parse(x.responseText); } catch (e) { /* not JSON */ }
        if (x.status === 401) session.loginEnded('Your console login ended; log in again.');
        if (x.status >= 200 && x.status < 300) resolve(data.transfer);
        else reject(new Error(data.error || 'the console answered ' + x.status));
      };
      x.onerror = () => { this.xhr = null; reject(new Error('the upload of ' + file.name + ' broke off')); };
      x.onabort = () => { this.xhr = null; resolve(null); };
      x.send(file);
    });
  }

  /** Has the browser download Host files, one after the other. */
  async download(rows) {
    const files = rows.filter((r) => r.kind === 'FILE');
    if (!files.length) { status('Tick the Host files to download first (folders do not download: copy them to this Guest).', true); return; }
    this.begin('Download');
    let got = 0;
    try {
      for (const r of files) {
        if (this.cancelled) break;
        this.progress(got / files.length, 'Preparing ' + r.name + ' (' + (got + 1) + ' of ' + files.length + ')…');
        const { transfer } = await api('POST', '/api/files/download', { connection: this.view.id, path: r.path });
        this.current = transfer;
        const end = await this.ended(transfer);
        if (end.state !== 'done' || !end.download) { this.finishTransfer(end); return; }
        const a = el('a', { href: end.download, download: end.name, class: 'd-none' });
        document.body.append(a);
        a.click();
        a.remove();
        got++;
      }
      this.finish(this.cancelled ? 'cancelled' : 'done', (this.cancelled ? 'Cancelled after ' : 'Done: ') + got + ' of ' + files.length
        + ' files handed to the browser\'s downloads.');
    } catch (e) {
      this.finish('failed', 'Failed: ' + e.message);
    }
  }

  /** Runs one transfer with the progress shown until it ends, then lists both sides again. */
  async work(label, run) {
    this.begin(label);
    try {
      const end = await run();
      this.finishTransfer(end);
    } catch (e) {
      this.finish('failed', 'Failed: ' + e.message);
    }
    this.list('guest', this.paths.guest);
    this.list('host', this.paths.host);
  }

  /** Waits for a transfer's last event. */
  ended(id) {
    this.current = id;
    if (this.early.has(id)) { const e = this.early.get(id); this.early.delete(id); return Promise.resolve(e); }
    return new Promise((resolve) => this.ends.set(id, resolve));
  }

  async cancel() {
    this.cancelled = true;
    if (this.xhr) this.xhr.abort();
    if (this.current) await api('POST', '/api/files/cancel', { transfer: this.current }).catch(() => { /* it ended meanwhile */ });
  }

  begin(label) {
    const p = this.view.page;
    this.cancelled = false;
    this.current = null;
    this.label = label;
    this.started = performance.now();
    this.planned = null;
    $('.f-progress-box', p).classList.remove('hidden');
    $('.f-cancel', p).disabled = false;
    $('.f-log', p).textContent = '';
    // Screen readers hear the outcome, not every step of the progress.
    $('.f-state', p).setAttribute('aria-busy', 'true');
    this.progress(0, label + '…');
  }

  progress(fraction, text) {
    const p = this.view.page;
    $('.f-progress', p).value = Math.max(0, Math.min(1, fraction));
    this.state(text);
  }

  showBytes(what, index, count, done, total) {
    const seconds = (performance.now() - this.started) / 1000;
    this.progress(total > 0 ? done / total : 0, what + ' — file ' + (index + 1) + ' of ' + count + ', ' + fmt.bytes(done) + ' of '
      + fmt.bytes(total) + (seconds > 0.5 ? ', ' + fmt.rate(done / seconds) : ''));
  }

  state(text, state) {
    const s = $('.f-state', this.view.page);
    if (state) s.dataset.state = state; else delete s.dataset.state;
    s.textContent = text;
  }

  finish(state, text) {
    const p = this.view.page;
    $('.f-progress', p).value = 1;
    $('.f-cancel', p).disabled = true;
    $('.f-progress-box', p).classList.add('hidden');
    $('.f-state', p).setAttribute('aria-busy', 'false');
    this.current = null;
    this.state(text, state);
  }

  finishTransfer(e) {
    const r = e.result;
    this.finish(e.state, e.state === 'done'
      ? 'Done: ' + r.files + ' files written (' + fmt.bytes(r.bytes) + ', ' + fmt.bytes(r.wireBytes) + ' on the wire), ' + r.skipped + ' skipped, ' + r.deleted + ' deleted.'
      : (e.state === 'cancelled' ? 'Cancelled: ' : 'Failed: ') + (e.error || ((r ? r.failed.join('; ') : '') + (r && r.stopped ? ' (stopped)' : ''))));
    $('.f-log', this.view.page).textContent = (e.log || []).join('\n');
  }

  event(e) {
    if (e.type === 'offer') {
      this.state(e.state === 'done' ? e.file + ': the person at the Host saved it (' + fmt.bytes(e.bytes) + ').' : e.file + ': ' + e.error, e.state);
      return;
    }
    if (e.state !== 'running') {
      const resolve = this.ends.get(e.id);
      if (resolve) { this.ends.delete(e.id); resolve(e); } else {
        this.early.set(e.id, e);
        if (this.early.size > 50) this.early.delete(this.early.keys().next().value);
      }
      return;
    }
    if (e.id !== this.current) return;
    if (e.op === 'upload' && this.planned) return; // the browser's own bytes are the upload's progress
    const seconds = (performance.now() - this.started) / 1000;
    const total = e.plannedBytes || 0;
    const done = e.bytesDone || 0;
    this.progress(total > 0 ? done / total : 0, this.label + ': ' + (e.file || 'planning')
      + (e.plannedFiles ? ' — ' + (e.filesDone || 0) + ' of ' + e.plannedFiles + ' files, ' + fmt.bytes(done) + ' of ' + fmt.bytes(total) : '')
      + (seconds > 0.5 && done > 0 ? ', ' + fmt.rate(done / seconds) : ''));
  }
}
