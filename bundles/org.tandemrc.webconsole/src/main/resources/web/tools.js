// The remote-management tools of one connection: forms from the tools' descriptions, results as tables.
import { $, api, el } from './dom.js';

export class ToolsPane {
  constructor(view) { this.view = view; this.loaded = false; }

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
        if (t.section !== section) { section = t.section; list.append(el('li', { class: 'hint' }, section)); }
        list.append(el('li', { dataset: { tool: t.id }, onclick: () => this.show(t) }, t.title));
      }
      if (!r.tools.length) list.append(el('li', { class: 'hint' }, 'The Host offers no tools to your role.'));
    } catch (e) { list.replaceChildren(el('li', { class: 'error' }, e.message)); }
  }

  show(tool) {
    const body = $('.t-body', this.view.page);
    body.replaceChildren(el('h2', {}, tool.title));
    for (const op of tool.operations) {
      const form = el('form', { class: 'card', dataset: { operation: op.id } }, el('h3', {}, op.title));
      for (const f of op.parameters) form.append(el('label', {}, f.label + (f.required ? ' *' : ''), field(f)));
      form.append(el('button', { type: 'submit' }, op.changesHost ? op.title + '…' : op.title));
      const out = el('div', { class: 't-result' });
      form.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        if (op.changesHost && !confirm(op.title + ' on ' + this.view.info.hostName + '?')) return;
        const args = {};
        for (const f of op.parameters) {
          const input = form.elements[f.name];
          args[f.name] = f.type === 'BOOLEAN' ? String(input.checked) : input.value;
        }
        out.replaceChildren(el('p', { class: 'hint' }, 'Running…'));
        try {
          const r = await api('POST', '/api/tools/invoke', { connection: this.view.id, tool: tool.id, operation: op.id, arguments: args });
          out.replaceChildren(renderResult(r.result));
        } catch (e) { out.replaceChildren(el('p', { class: 'error' }, e.message)); }
      });
      body.append(form, out);
    }
  }
}

function field(f) {
  if (f.type === 'CHOICE') return el('select', { name: f.name }, ...f.choices.map((c) => el('option', { value: c }, c)));
  if (f.type === 'BOOLEAN') return el('input', { type: 'checkbox', name: f.name });
  if (f.type === 'INTEGER') { const i = el('input', { type: 'number', step: '1', name: f.name }); i.required = f.required; return i; }
  if (f.type === 'SECRET') return el('input', { type: 'password', name: f.name });
  const i = el('input', { name: f.name });
  if (f.required) i.required = true;
  return i;
}

function renderResult(r) {
  if (r.kind === 'message') return el('p', { class: 't-message' }, r.text);
  if (r.kind === 'form') {
    const t = el('table', { class: 'grid' });
    for (const f of r.fields) t.append(el('tr', {}, el('th', {}, f.label), el('td', {}, r.values[f.name] ?? '')));
    return t;
  }
  const t = el('table', { class: 'grid t-table' }, el('thead', {}, el('tr', {}, ...r.columns.map((c) => el('th', {}, c.label)))));
  const body = el('tbody');
  for (const row of r.rows) body.append(el('tr', {}, ...row.map((v) => el('td', {}, v))));
  t.append(body);
  return el('div', {}, el('p', { class: 'hint' }, r.rows.length + ' rows'), t);
}
