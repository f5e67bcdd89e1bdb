// The remote-management tools of one connection: forms from the tools' descriptions, results as tables.
// A tool's table gets row actions for free: an operation that changes the Host and whose required
// parameters are all columns of the table (by name) is offered on each row, with the row's values as its
// arguments and a confirmation naming the row (Task Manager's End process on a process's row).
// A streaming operation (op.stream) runs over /ws/tool-stream: a TERMINAL in xterm.js, TEXT appended as text,
// a TABLE replaced each time the Host shows one; the page acks what it has shown, so a Host never runs more
// than a window ahead of the page.
import { $, $$, api, confirmDialog, el, status, wsUrl } from './dom.js';
import { dataTable } from './table.js';

/** How often a live table is listed again while it is shown. */
export const LIVE_MILLIS = 2000;

const ICONS = { processes: 'cpu', system: 'info-circle', services: 'gear', events: 'journal-text', eventlog: 'journal-text',
  disks: 'hdd', users: 'people', groups: 'people', registry: 'diagram-3', shares: 'folder-symlink', console: 'terminal', shell: 'terminal',
  control: 'power', power: 'power' };

/** A column's table type from the tool API's FieldType; a type this page does not know shows as text. */
function column(f, rows) {
  const c = { key: f.name, label: f.label };
  const raw = (r) => r[f.name];
  const numbers = rows.length > 0 && rows.every((r) => r[f.name] === '' || Number.isFinite(Number(r[f.name])));
  if (f.type === 'BYTES') { c.type = 'bytes'; c.sortValue = (r) => (r[f.name] === '' ? -1 : Number(r[f.name])); }
  else if (f.type === 'TIMESTAMP') c.type = 'time';
  else if (f.type === 'SECRET') c.render = () => '••••••';
  // Long text (a command line) stays on one line, cut, whole in its tooltip.
  else if (rows.some((r) => String(r[f.name] ?? '').length > 40)) {
    c.class = 't-long';
    c.render = (r) => el('span', { title: r[f.name] }, r[f.name]);
  }
  // Whole numbers as they are (a PID is not "12,345"); text that is a number in every row sorts as one.
  else if (f.type === 'INTEGER' || (f.type === 'TEXT' && numbers)) {
    c.type = 'number';
    c.render = raw;
    c.sortValue = (r) => (r[f.name] === '' ? -Infinity : Number(r[f.name]));
  }
  return c;
}

/** The operations of a tool offered on each row of a table with these columns. */
export function rowOperations(tool, columns) {
  const names = new Set(columns.map((c) => c.name));
  return tool.operations.filter((op) => op.changesHost && op.parameters.some((p) => names.has(p.name))
    && op.parameters.every((p) => !p.required || names.has(p.name)));
}

let fieldIds = 0;

export class ToolsPane {
  constructor(view) { this.view = view; this.loaded = false; this.live = true; this.timer = null; }

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
        if (t.section !== section) { section = t.section; list.append(el('li', { class: 't-section small text-body-secondary text-uppercase fw-semibold px-2 pt-2' }, section)); }
        const b = el('button', { type: 'button', class: 'btn btn-sm w-100 text-start t-tool' },
          el('i', { class: 'bi bi-' + (ICONS[t.id] || 'tools') + ' me-2', 'aria-hidden': 'true' }), t.title);
        b.addEventListener('click', () => this.show(t));
        list.append(el('li', { dataset: { tool: t.id } }, b));
      }
      if (!r.tools.length) list.append(el('li', { class: 'hint px-2' }, 'The Host offers no tools to your role.'));
    } catch (e) { list.replaceChildren(el('li', { class: 'error px-2' }, e.message)); }
  }

  show(tool) {
    const p = this.view.page;
    this.stop();
    $$('.t-list li[data-tool] button', p).forEach((b) => {
      if (b.parentElement.dataset.tool === tool.id) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    });
    const body = $('.t-body', p);
    body.replaceChildren(el('h2', { class: 'h5' }, tool.title));
    const later = [];
    for (const op of tool.operations) {
      const form = el('form', { class: 't-op mb-3', dataset: { operation: op.id } });
      const out = el('div', { class: 't-result' });
      // A read-only operation that needs nothing is a view: listed at once and kept live, with its
      // optional parameters (a sort, a filter) beside the refresh button.
      const viewing = !op.stream && !op.changesHost && op.parameters.every((p) => !p.required);
      if (op.stream) {
        // A terminal's size is the terminal's own: its parameters are filled in, not asked.
        for (const f of op.parameters) if (!(op.stream === 'TERMINAL' && TERMINAL_SIZE.has(f.name))) form.append(field(f));
        form.append(el('button', { type: 'submit', class: 'btn btn-sm ' + (op.changesHost ? 'btn-outline-danger' : 'btn-primary') + ' t-open' },
          el('i', { class: 'bi bi-' + (op.stream === 'TERMINAL' ? 'terminal' : 'play') + ' me-1', 'aria-hidden': 'true' }),
          op.title + (op.changesHost ? '…' : '')));
      } else if (viewing) {
        for (const f of op.parameters) form.append(field(f));
        form.append(el('div', { class: 'd-flex align-items-center gap-2' },
          el('button', { type: 'submit', class: 'btn btn-sm btn-outline-secondary' }, el('i', { class: 'bi bi-arrow-clockwise me-1', 'aria-hidden': 'true' }), op.title)));
      } else {
        form.append(el('h3', { class: 'h6' }, op.title));
        for (const f of op.parameters) form.append(field(f));
        form.append(el('button', { type: 'submit', class: 'btn btn-sm ' + (op.changesHost ? 'btn-outline-danger' : 'btn-primary') },
          op.changesHost ? op.title + '…' : op.title));
      }
      // What the form holds now: a view's refreshes keep its sort and filter.
      out.args = () => {
        const args = {};
        for (const f of op.parameters) {
          const input = form.elements[f.name];
          if (!input) continue;
          args[f.name] = f.type === 'BOOLEAN' ? String(input.checked) : input.value;
        }
        return args;
      };
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (op.changesHost && !(await confirmDialog(op.title, op.title + ' on ' + this.view.info.hostName + '?', op.title, true))) return;
        const args = out.args();
        if (op.stream) await this.stream(tool, op, args, out);
        else await this.run(tool, op, args, out, viewing);
      });
      if (viewing) {
        body.append(form, out);
        this.run(tool, op, {}, out, true);
      } else if (op.stream) {
        body.append(form, out);
      } else {
        later.push([form, out]);
      }
    }
    if (later.length) {
      // Operations with parameters: behind a disclosure when the table's rows offer them already.
      const hasRows = tool.operations.some((op) => op.stream || (!op.changesHost && op.parameters.every((p) => !p.required)));
      const box = hasRows ? el('details', { class: 't-more mt-2' }, el('summary', { class: 'mb-2' }, 'More operations')) : body;
      for (const [form, out] of later) box.append(form, out);
      if (box !== body) body.append(box);
    }
  }

  /** Runs an operation and shows its result; a viewing operation's table is listed again while shown. */
  async run(tool, op, args, out, viewing) {
    if (!out.firstChild) out.replaceChildren(el('p', { class: 'hint' }, 'Running…'));
    try {
      const r = await api('POST', '/api/tools/invoke', { connection: this.view.id, tool: tool.id, operation: op.id, arguments: args });
      this.render(tool, op, r.result, out, viewing);
    } catch (e) { out.replaceChildren(el('p', { class: 'alert alert-danger py-1' }, e.message)); }
  }

  render(tool, op, r, out, viewing) {
    if (r.kind === 'message') { out.replaceChildren(el('p', { class: 'alert alert-success py-1 t-message' }, r.text)); return; }
    if (r.kind === 'form') {
      const t = el('table', { class: 'table table-sm grid mb-0', 'aria-label': op.title });
      const body = el('tbody');
      for (const f of r.fields) body.append(el('tr', {}, el('th', { scope: 'row' }, f.label), el('td', {}, r.values[f.name] ?? '')));
      t.append(body);
      out.replaceChildren(t);
      return;
    }
    const rows = r.rows.map((values) => Object.fromEntries(r.columns.map((c, i) => [c.name, values[i]])));
    const existing = out.querySelector('.data-table');
    if (existing && existing.dataset.operation === op.id) { existing.update(rows); this.count(out, rows.length); return; }
    const columns = r.columns.map((c) => column(c, rows));
    const actions = rowOperations(tool, r.columns).map((action) => ({
      label: action.title,
      icon: /end|stop|kill|delete|remove/i.test(action.id + ' ' + action.title) ? 'stop-circle' : 'play-circle',
      danger: true,
      iconOnly: true,
      confirm: (row) => action.title + ' ' + describe(action, r.columns, row) + ' on ' + this.view.info.hostName + '?',
      run: async (row) => {
        const args = {};
        for (const p of action.parameters) if (row[p.name] !== undefined) args[p.name] = row[p.name];
        try {
          const res = await api('POST', '/api/tools/invoke', { connection: this.view.id, tool: tool.id, operation: action.id, arguments: args });
          status(res.result.kind === 'message' ? res.result.text : action.title + ': done.');
        } catch (e) { status(e.message, true); }
        await this.run(tool, op, out.args(), out, viewing);
      },
    }));
    const keyColumn = r.columns.find((c) => actions.length && rowOperations(tool, [c]).length) || r.columns[0];
    const table = dataTable({ columns, rows, label: tool.title + ': ' + op.title, filter: true, actions,
      key: keyColumn ? (row) => row[keyColumn.name] : undefined, empty: 'The Host lists nothing here.' });
    table.dataset.operation = op.id;
    table.table.classList.add('t-table');
    const bar = el('div', { class: 'd-flex align-items-center gap-2 mb-2 t-table-bar' }, el('span', { class: 'hint t-count' }));
    if (viewing) {
      const live = el('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary t-live', 'aria-pressed': String(this.live) });
      const label = () => live.replaceChildren(el('i', { class: 'bi bi-' + (this.live ? 'pause' : 'play') + '-fill me-1', 'aria-hidden': 'true' }),
        this.live ? 'Pause live refresh' : 'Resume live refresh');
      label();
      live.addEventListener('click', () => { this.live = !this.live; live.setAttribute('aria-pressed', String(this.live)); label(); });
      bar.append(live);
      this.watch(tool, op, out);
    }
    out.replaceChildren(bar, table);
    this.count(out, rows.length);
  }

  count(out, n) {
    const c = $('.t-count', out);
    if (c) c.textContent = n + ' rows' + (this.timer ? ' · live every ' + LIVE_MILLIS / 1000 + ' s' : '');
  }

  /** Lists a viewing operation again every LIVE_MILLIS while its panel and page are shown and not paused. */
  watch(tool, op, out) {
    this.stop();
    let busy = false;
    this.timer = setInterval(async () => {
      const p = this.view.page;
      if (!p.isConnected || !out.isConnected) { this.stop(); return; }
      if (busy || !this.live || document.hidden || p.classList.contains('hidden') || $('.panel-tools', p).classList.contains('hidden')) return;
      busy = true;
      try { await this.run(tool, op, out.args(), out, true); } finally { busy = false; }
    }, LIVE_MILLIS);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    if (this.ws) { this.ws.close(); this.ws = null; }
  }

  /** Opens a streaming operation in {@code out} until either side ends it (or another tool is shown). */
  async stream(tool, op, args, out) {
    this.stop();
    const state = el('span', { class: 'hint t-stream-state', role: 'status' }, 'Opening…');
    const close = el('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary t-stream-close' },
      el('i', { class: 'bi bi-x-lg me-1', 'aria-hidden': 'true' }), 'Close');
    const box = el('div', { class: 't-stream', dataset: { kind: op.stream } });
    out.replaceChildren(el('div', { class: 'd-flex align-items-center gap-2 mb-2' }, close, state), box);
    let term = null;
    let text = null;
    const decoder = new TextDecoder();
    if (op.stream === 'TERMINAL') {
      try { await loadXterm(); } catch (e) { state.textContent = e.message; return; }
      term = new globalThis.Terminal({ cols: 100, rows: 30, fontSize: 14, scrollback: 5000, theme: THEME });
      term.open(box);
      fit(term, box);
      box.dataset.size = term.cols + 'x' + term.rows;
      if (op.parameters.some((p) => p.name === 'columns')) args.columns = String(term.cols);
      if (op.parameters.some((p) => p.name === 'rows')) args.rows = String(term.rows);
    } else if (op.stream === 'TEXT') {
      text = el('pre', { class: 't-text', 'aria-label': tool.title + ': ' + op.title });
      box.append(text);
    }
    const ws = new WebSocket(wsUrl('/ws/tool-stream', { connection: this.view.id, tool: tool.id, operation: op.id, kind: op.stream }));
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let ended = false;
    const send = (m) => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m)); };
    const ack = (n) => send({ t: 'ack', bytes: n });
    ws.onopen = () => send({ t: 'open', arguments: args });
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') {
        const bytes = new Uint8Array(ev.data);
        if (term) { term.write(bytes, () => ack(bytes.length)); return; }
        if (text) {
          // Text only (never markup): a Host's log is shown, not interpreted; the oldest goes past a bound.
          text.append(decoder.decode(bytes, { stream: true }));
          if (text.textContent.length > MAX_TEXT) text.textContent = text.textContent.slice(-MAX_TEXT / 2);
          text.scrollTop = text.scrollHeight;
        }
        ack(bytes.length);
        return;
      }
      const m = JSON.parse(ev.data);
      if (m.t === 'opened') { state.textContent = 'Running on ' + this.view.info.hostName; if (term) term.focus(); }
      else if (m.t === 'shown') this.render(tool, op, m.result, box, false);
      else if (m.t === 'ended') {
        ended = true;
        state.textContent = 'Ended: ' + m.sentence;
        state.classList.toggle('text-danger-emphasis', !m.ok);
        out.dataset.ended = m.sentence;
      }
    };
    ws.onclose = () => {
      if (!ended) { state.textContent = 'Closed'; out.dataset.ended = 'closed'; }
      if (this.ws === ws) this.ws = null;
      close.disabled = true;
    };
    if (term) {
      term.onData((d) => send({ t: 'keys', data: d }));
      term.onResize(({ cols, rows }) => { box.dataset.size = cols + 'x' + rows; send({ t: 'resize', columns: cols, rows }); });
      // The terminal fills the pane's width and the window's height, and follows the window.
      let later = null;
      const refit = () => { clearTimeout(later); later = setTimeout(() => { if (box.isConnected) fit(term, box); else removeEventListener('resize', refit); }, 200); };
      addEventListener('resize', refit);
      ws.addEventListener('close', () => removeEventListener('resize', refit));
    }
    close.addEventListener('click', () => ws.close());
  }
}

/** The ANSI colours, each readable on the black background (contrast 4.5:1 or more, WCAG AA). */
const THEME = { background: '#000000', foreground: '#e5e5e5', cursor: '#e5e5e5',
  black: '#8a8a8a', red: '#ff6b6b', green: '#5fd75f', yellow: '#e5e510', blue: '#6b9bff', magenta: '#ff6bff',
  cyan: '#29d3e5', white: '#e5e5e5', brightBlack: '#a0a0a0', brightRed: '#ff8787', brightGreen: '#87ff87',
  brightYellow: '#ffff87', brightBlue: '#87afff', brightMagenta: '#ff87ff', brightCyan: '#87ffff', brightWhite: '#ffffff' };

/**
 * Sizes a terminal to its box's width and what the window leaves below it (at least 10 rows and 20 columns,
 * at most 1000), from the size of a cell as xterm.js drew it.
 */
function fit(term, box) {
  const screen = box.querySelector('.xterm-screen');
  if (!screen) return;
  const r = screen.getBoundingClientRect();
  const cellWidth = r.width / term.cols;
  const cellHeight = r.height / term.rows;
  if (!(cellWidth > 0) || !(cellHeight > 0)) return;
  const width = box.clientWidth - 8;
  const height = innerHeight - box.getBoundingClientRect().top - 24;
  const cols = Math.min(1000, Math.max(20, Math.floor(width / cellWidth)));
  const rows = Math.min(1000, Math.max(10, Math.floor(height / cellHeight)));
  if (cols !== term.cols || rows !== term.rows) term.resize(cols, rows);
}

/** A terminal's parameters the terminal fills in itself. */
const TERMINAL_SIZE = new Set(['columns', 'rows']);
/** Characters of a text stream kept on the page. */
const MAX_TEXT = 2_000_000;

let xterm = null;

/**
 * Loads xterm.js (vendored from npm, see docs/architecture.md) on first use. The page's policy allows no
 * inline styles, and xterm.js writes its layout and colours into <style> elements: their text is mirrored
 * into a constructed style sheet, which the policy does not govern, so the page keeps its strict policy.
 */
function loadXterm() {
  if (!xterm) {
    xterm = new Promise((resolve, reject) => {
      document.head.append(el('link', { rel: 'stylesheet', href: 'vendor/xterm.css' }));
      const script = el('script', { src: 'vendor/xterm.js' });
      script.onload = () => { mirrorStyles(); resolve(); };
      script.onerror = () => { xterm = null; reject(new Error('The terminal emulator did not load.')); };
      document.head.append(script);
    });
  }
  return xterm;
}

function mirrorStyles() {
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  let queued = false;
  const copy = () => {
    queued = false;
    sheet.replaceSync([...document.querySelectorAll('style')].map((s) => s.textContent).join('\n'));
  };
  new MutationObserver((records) => {
    if (queued) return;
    for (const r of records) {
      const t = r.target.nodeType === Node.ELEMENT_NODE ? r.target : r.target.parentNode;
      if (t && (t.nodeName === 'STYLE' || [...r.addedNodes].some((n) => n.nodeName === 'STYLE'))) {
        queued = true;
        queueMicrotask(copy);
        return;
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** A row as a confirmation names it: the operation's parameter columns and the row's first other text. */
function describe(op, columns, row) {
  const params = new Set(op.parameters.map((p) => p.name));
  const ids = columns.filter((c) => params.has(c.name)).map((c) => c.label + ' ' + row[c.name]);
  const name = columns.find((c) => !params.has(c.name) && c.type === 'TEXT' && row[c.name]);
  const text = name ? String(row[name.name]) : '';
  return ids.join(', ') + (text ? ' (' + (text.length > 60 ? text.slice(0, 57) + '…' : text) + ')' : '');
}

function field(f) {
  const id = 'tool-field-' + (++fieldIds);
  const label = f.label + (f.required ? ' (required)' : '');
  if (f.type === 'BOOLEAN') {
    return el('div', { class: 'form-check mb-2' }, el('input', { type: 'checkbox', class: 'form-check-input', name: f.name, id }),
      el('label', { class: 'form-check-label', for: id }, label));
  }
  let input;
  if (f.type === 'CHOICE') input = el('select', { class: 'form-select form-select-sm', name: f.name, id }, ...f.choices.map((c) => el('option', { value: c }, c)));
  else if (f.type === 'INTEGER' || f.type === 'BYTES') input = el('input', { type: 'number', step: '1', class: 'form-control form-control-sm', name: f.name, id });
  else if (f.type === 'SECRET') input = el('input', { type: 'password', class: 'form-control form-control-sm', name: f.name, id, autocomplete: 'off' });
  else input = el('input', { class: 'form-control form-control-sm', name: f.name, id });
  if (f.required) input.required = true;
  return el('div', { class: 'mb-2 t-field' }, el('label', { class: 'form-label small mb-1', for: id }, label), input);
}
