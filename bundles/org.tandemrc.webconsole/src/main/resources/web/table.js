// The console's one table of rows: a filter box, columns sorted by a click or Enter on their header,
// optional row checkboxes, actions on each row, and an empty state that says what to do next. Every
// list of rows in the console (phonebook, history, connections, files, tools) is one of these.
import { confirmDialog, el } from './dom.js';
import * as fmt from './format.js';

const FORMAT = {
  text: (v) => (v === null || v === undefined ? '' : String(v)),
  number: (v) => fmt.count(v),
  bytes: (v) => fmt.bytes(v),
  time: (v) => fmt.time(v),
  percent: (v) => fmt.percent(v),
};

function numeric(type) { return type === 'number' || type === 'bytes' || type === 'percent'; }

function sortValue(col, row) {
  if (col.sortValue) return col.sortValue(row);
  const v = row[col.key];
  if (numeric(col.type)) { const n = Number(v); return Number.isFinite(n) ? n : -Infinity; }
  if (col.type === 'time') { const t = new Date(v).getTime(); return Number.isFinite(t) ? t : -Infinity; }
  return v === null || v === undefined ? '' : String(v).toLocaleLowerCase();
}

const COLLATOR = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return COLLATOR.compare(String(a), String(b));
}

/**
 * Makes a table of rows.
 * @param {object} o
 * @param {Array<{key:string,label:string,type?:string,render?:Function,sortValue?:Function,text?:Function}>} o.columns
 * @param {Array<object>} o.rows the rows, plain objects
 * @param {Function} [o.key] a row's stable key (default: its index); used by data-key and selected()
 * @param {Array<{label:string,icon?:string,danger?:boolean,primary?:boolean,iconOnly?:boolean,class?:string,confirm?:Function,run:Function,when?:Function}>} [o.actions]
 *   primary marks the row's main action; class names the button for the page's own code and tests
 * @param {boolean} [o.select] row checkboxes; the element's selected() gives the chosen rows' keys
 * @param {boolean} [o.filter] a filter box above the table (default: on with more than 5 rows)
 * @param {string|Node} [o.empty] what an empty table says instead of rows
 * @param {string} o.label the table's accessible name ("Phonebook records")
 * @param {string} [o.sort] the column key sorted by at first; [o.descending] its direction
 * @param {Function} [o.onRow] called with the row on a double click or Enter on the row
 * @param {Function} [o.rowAttrs] a row's own attributes for its <tr> ({ 'data-name': …, draggable: 'true' })
 * @returns {HTMLElement} with update(rows), selected() and the table as .table
 */
export function dataTable(o) {
  const columns = o.columns;
  const keyOf = o.key || ((row, i) => String(i));
  let rows = o.rows || [];
  let sortKey = o.sort || null;
  let descending = !!o.descending;
  let query = '';
  const chosen = new Set();

  const wrap = el('div', { class: 'data-table' });
  const filterBox = el('input', { type: 'search', class: 'form-control form-control-sm data-table-filter', placeholder: 'Filter', 'aria-label': 'Filter ' + o.label.toLowerCase() });
  const countLine = el('span', { class: 'data-table-count text-body-secondary small', 'aria-live': 'polite' });
  const bar = el('div', { class: 'data-table-bar d-flex align-items-center gap-2 mb-2' }, filterBox, countLine);
  const table = el('table', { class: 'table table-sm table-hover align-middle mb-0', 'aria-label': o.label });
  const head = el('thead');
  const body = el('tbody');
  const emptyLine = el('div', { class: 'data-table-empty text-body-secondary py-3' });
  table.append(head, body);
  wrap.append(bar, el('div', { class: 'table-responsive' }, table), emptyLine);
  wrap.table = table;

  filterBox.addEventListener('input', () => { query = filterBox.value.trim().toLocaleLowerCase(); draw(); });

  const allBox = el('input', { type: 'checkbox', class: 'form-check-input', 'aria-label': 'Select all shown' });
  allBox.addEventListener('change', () => {
    for (const cb of body.querySelectorAll('input.row-select')) {
      cb.checked = allBox.checked;
      if (allBox.checked) chosen.add(cb.dataset.key); else chosen.delete(cb.dataset.key);
    }
    wrap.dispatchEvent(new Event('selectionchange'));
  });

  function header() {
    const tr = el('tr');
    if (o.select) tr.append(el('th', { scope: 'col', class: 'data-table-check' }, allBox));
    for (const c of columns) {
      const sorted = sortKey === c.key;
      const th = el('th', { scope: 'col', class: numeric(c.type) ? 'text-end' : '' });
      if (c.sortable === false) {
        th.append(c.label);
      } else {
        th.setAttribute('aria-sort', sorted ? (descending ? 'descending' : 'ascending') : 'none');
        const b = el('button', { type: 'button', class: 'data-table-sort btn btn-link btn-sm p-0 text-reset text-decoration-none fw-semibold' }, c.label,
          el('i', { class: 'bi ms-1 ' + (sorted ? (descending ? 'bi-caret-down-fill' : 'bi-caret-up-fill') : 'bi-chevron-expand text-body-tertiary'), 'aria-hidden': 'true' }));
        b.addEventListener('click', () => {
          if (sortKey === c.key) descending = !descending; else { sortKey = c.key; descending = false; }
          header();
          draw();
          head.querySelector('th[aria-sort]:not([aria-sort="none"]) button')?.focus();
        });
        th.append(b);
      }
      tr.append(th);
    }
    if (o.actions && o.actions.length) tr.append(el('th', { scope: 'col', class: 'text-end' }, el('span', { class: 'visually-hidden' }, 'Actions')));
    head.replaceChildren(tr);
  }

  function cell(c, row) {
    if (c.render) { const r = c.render(row); return r instanceof Node ? r : document.createTextNode(r ?? ''); }
    return document.createTextNode((FORMAT[c.type || 'text'] || FORMAT.text)(row[c.key]));
  }

  /** What the filter searches in a cell: as shown, and as stored ("1.4 MB" and 1400000). */
  function text(c, row) {
    if (c.text) return String(c.text(row) ?? '');
    const v = row[c.key];
    return (FORMAT[c.type || 'text'] || FORMAT.text)(v) + ' ' + (v ?? '');
  }

  /** A row's name in its buttons' and checkbox's labels: its first cell as shown, once. */
  function rowName(row) {
    const c = columns[0];
    return (c.text ? String(c.text(row) ?? '') : (FORMAT[c.type || 'text'] || FORMAT.text)(row[c.key])).trim();
  }

  function shown() {
    let list = rows.map((row, i) => ({ row, key: String(keyOf(row, i)) }));
    if (query) list = list.filter(({ row }) => columns.some((c) => text(c, row).toLocaleLowerCase().includes(query)));
    if (sortKey) {
      const c = columns.find((x) => x.key === sortKey);
      if (c) {
        list.sort((a, b) => compare(sortValue(c, a.row), sortValue(c, b.row)));
        if (descending) list.reverse();
      }
    }
    return list;
  }

  function draw() {
    const list = shown();
    const trs = [];
    for (const { row, key } of list) {
      const tr = el('tr', { dataset: { key } });
      if (o.rowAttrs) for (const [k, v] of Object.entries(o.rowAttrs(row))) tr.setAttribute(k, v);
      if (o.select) {
        const cb = el('input', { type: 'checkbox', class: 'form-check-input row-select', 'aria-label': 'Select ' + rowName(row) });
        cb.dataset.key = key;
        cb.checked = chosen.has(key);
        cb.addEventListener('change', () => { if (cb.checked) chosen.add(key); else chosen.delete(key); wrap.dispatchEvent(new Event('selectionchange')); });
        tr.append(el('td', { class: 'data-table-check' }, cb));
      }
      for (const c of columns) tr.append(el('td', { class: (numeric(c.type) ? 'text-end ' : '') + (c.class || '') }, cell(c, row)));
      if (o.actions && o.actions.length) {
        const td = el('td', { class: 'text-end text-nowrap' });
        for (const a of o.actions) {
          if (a.when && !a.when(row)) continue;
          const name = rowName(row);
          const look = a.danger ? 'btn-outline-danger' : a.primary ? 'btn-outline-primary' : 'btn-outline-secondary';
          const b = el('button', { type: 'button', class: 'btn btn-sm ' + look + ' ms-1' + (a.class ? ' ' + a.class : ''), 'aria-label': a.label + ' ' + name, title: a.label },
            a.icon ? el('i', { class: 'bi bi-' + a.icon, 'aria-hidden': 'true' }) : '', a.iconOnly ? '' : ' ' + a.label);
          b.addEventListener('click', async () => {
            const question = a.confirm ? a.confirm(row) : null;
            if (question && !(await confirmDialog(a.label, question, a.label, !!a.danger))) return;
            await a.run(row);
          });
          td.append(b);
        }
        tr.append(td);
      }
      if (o.onRow) {
        tr.addEventListener('dblclick', () => o.onRow(row));
        // Without preventDefault the same Enter would go on to submit a form that onRow opened and focused.
        tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && ev.target === tr) { ev.preventDefault(); o.onRow(row); } });
        tr.tabIndex = 0;
      }
      trs.push(tr);
    }
    body.replaceChildren(...trs);
    const visible = new Set(list.map((x) => x.key));
    allBox.checked = list.length > 0 && list.every((x) => chosen.has(x.key));
    for (const k of [...chosen]) if (!rows.some((r, i) => String(keyOf(r, i)) === k)) chosen.delete(k);
    const filtering = o.filter ?? rows.length > 5;
    bar.classList.toggle('d-none', !filtering);
    countLine.textContent = query ? list.length + ' of ' + rows.length + ' shown' : '';
    const empty = rows.length === 0;
    table.classList.toggle('d-none', empty || visible.size === 0);
    emptyLine.classList.toggle('d-none', !empty && visible.size > 0);
    if (empty) emptyLine.replaceChildren(o.empty instanceof Node ? o.empty : document.createTextNode(o.empty || 'Nothing here yet.'));
    else if (visible.size === 0) emptyLine.replaceChildren('Nothing matches "' + filterBox.value + '".');
  }

  wrap.update = (next) => { rows = next || []; draw(); };
  wrap.selected = () => rows.filter((r, i) => chosen.has(String(keyOf(r, i))));
  wrap.clearSelection = () => { chosen.clear(); draw(); wrap.dispatchEvent(new Event('selectionchange')); };
  header();
  draw();
  return wrap;
}
