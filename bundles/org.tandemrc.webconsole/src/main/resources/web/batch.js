// The Many Hosts page: one action on records of the phonebook at once (a message, a tool operation,
// Wake-on-LAN from this node or through a Host), a few at a time; the table fills as each Host answers.
// The node runs it with the engine of `tandem guest batch`; this page only asks and shows.
import { $, api, clearError, el, status } from './dom.js';
import { dataTable } from './table.js';

let table = null;
let polling = null;

function fields() {
  const kind = $('#batch-kind').value;
  for (const f of ['message', 'tool', 'via']) {
    $('#batch-' + f + '-fields').classList.toggle('hidden', !(kind === f || (f === 'via' && kind === 'wake-via')));
  }
}

/** NAME=VALUE lines as the tool's arguments; a line that is not one is refused with its text. */
function argumentsOf(text) {
  const args = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l)) {
    const eq = line.indexOf('=');
    if (eq < 1) throw new Error("'" + line + "' is not NAME=VALUE");
    args[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return args;
}

function action() {
  const kind = $('#batch-kind').value;
  if (kind === 'message') return { kind, text: $('#batch-text').value };
  if (kind === 'tool') {
    return { kind, tool: $('#batch-tool').value.trim(), operation: $('#batch-operation').value.trim(),
      arguments: argumentsOf($('#batch-arguments').value) };
  }
  if (kind === 'wake-via') return { kind: 'wake', via: $('#batch-via').value.trim() };
  return { kind: 'wake' };
}

function show(run) {
  $('#batch-progress').textContent = run.title + ': ' + run.done + ' of ' + run.total + ' Host(s) done, '
    + run.failed + ' failed' + (run.finished ? '.' : '…');
  $('#batch-bar').style.width = (run.total ? Math.round(100 * run.done / run.total) : 100) + '%';
  const progress = $('#batch-progressbar');
  progress.setAttribute('aria-valuenow', String(run.done));
  progress.setAttribute('aria-valuemax', String(run.total));
  table.update(run.rows.map((r) => ({ host: r.host, outcome: r.ok ? 'ok' : 'failed', seconds: (r.millis / 1000).toFixed(1), output: r.output })));
}

async function poll(id) {
  try {
    const run = (await api('GET', '/api/batch?id=' + encodeURIComponent(id))).run;
    show(run);
    if (run.finished) {
      polling = null;
      $('#batch-run').disabled = false;
      status(run.failed ? run.failed + ' of ' + run.total + ' Host(s) failed.' : 'All ' + run.total + ' Host(s) succeeded.', run.failed > 0);
      return;
    }
    polling = setTimeout(() => poll(id), 500);
  } catch (e) {
    polling = null;
    $('#batch-run').disabled = false;
    status(e.message, true);
  }
}

async function run(ev) {
  ev.preventDefault();
  clearError();
  if (polling) return;
  let body;
  try {
    body = { hosts: $('#batch-hosts').value.trim(), action: action(), parallel: Number($('#batch-parallel').value) };
  } catch (e) {
    status(e.message, true);
    return;
  }
  $('#batch-run').disabled = true;
  try {
    const started = (await api('POST', '/api/batch/run', body)).run;
    show(started);
    poll(started.id);
  } catch (e) {
    $('#batch-run').disabled = false;
    status(e.message, true);
  }
}

export function initBatch() {
  table = dataTable({
    label: 'Batch results',
    columns: [
      { key: 'host', label: 'Host' },
      { key: 'outcome', label: 'Outcome', render: (r) => el('span', { class: 'badge ' + (r.outcome === 'ok' ? 'text-bg-success' : 'text-bg-danger') }, r.outcome) },
      { key: 'seconds', label: 'Time (s)', type: 'number' },
      { key: 'output', label: 'Output', render: (r) => el('span', { class: 'batch-output' }, r.output) },
    ],
    rows: [],
    empty: 'Choose the Hosts and the action, then Run: each Host\'s outcome shows here as it answers.',
  });
  $('#batch-table').append(table);
  $('#batch-kind').addEventListener('change', fields);
  $('#batch-form').addEventListener('submit', run);
  fields();
}
