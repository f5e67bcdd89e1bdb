// The console's Files and Tools panels, driven by ConsoleFilesIT: a desktop file dropped onto the Host's
// pane, a file chosen with Upload files…, two ticked files deleted at once, a Host file downloaded by the
// browser, Task Manager's CPU and memory, sorting, filtering and End process on a row, and what the pane
// of a Host that shares no folder says. The Java side
// checks the Host's disk and processes at each "go" step.
import { chromium } from 'playwright-core';
import { axeCheck, cfg, check, done, go, setUpConsole, step } from './steps.mjs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
const page = await context.newPage();
page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));
page.on('response', async (r) => { if (r.status() >= 400) console.log('HTTP ' + r.status() + ' ' + r.request().method() + ' ' + r.url() + ' ' + (await r.text().catch(() => ''))); });
const shot = async (name) => { await page.screenshot({ path: join(cfg.screenshots, name + '.png') }); step('screenshot', name); await axeCheck(page, name); };
const view = 'section.connection:not(.hidden)';
const host = `${view} .pane-host`;
const hostRow = (name) => `${host} tr[data-name="${name}"]`;
/** The texts of one column of the Host's table, top to bottom. */
const column = (i) => page.$$eval(`${host} tbody tr`, (rows, i) => rows.map((r) => r.children[i].textContent.trim()), i);
/** Waits until the file operation that says {@code text} at its end ended, and fails unless it ended well. */
async function finished(what, text) {
  await page.waitForSelector(`${view} .f-state[data-state]:has-text("${text}")`, { timeout: 60000 });
  const s = await page.$eval(`${view} .f-state`, (e) => e.dataset.state + ': ' + e.textContent);
  check(s.startsWith('done'), what + ': ' + s);
}

try {
  await setUpConsole(page);
  await page.fill('#quick-address', cfg.hostAddress);
  await page.fill('#quick-password', cfg.hostPassword);
  await page.click('#quick-connect');
  await page.waitForSelector(view);

  // The Host's shares, then one share's files: icons by type, human sizes, local times.
  await page.click(`${view} button[data-panel="files"]`);
  await page.waitForSelector(hostRow(cfg.share));
  check(await page.$(`${hostRow(cfg.share)} i.bi-folder`) !== null, 'a share has a folder icon');
  await page.dblclick(hostRow(cfg.share));
  await page.waitForSelector(hostRow('hello.txt'));
  // Columns: checkbox, Name, Size, Modified, Type, actions.
  const row = await page.$$eval(`${hostRow('hello.txt')} td`, (tds) => tds.map((t) => t.textContent.trim()));
  check(row[2] === '1.5 kB', 'the size in human units: ' + row[2]);
  check(row[4] === 'TXT document', 'the type: ' + row[4]);
  check(row[3] !== '' && !/\d{4}-\d\d-\d\dT/.test(row[3]), 'the time in local time, not ISO: ' + row[3]);
  check(await page.$(`${hostRow('hello.txt')} i.bi-file-earmark-text`) !== null, 'a text file has its icon');
  check(await page.$(`${hostRow('download.bin')} i.bi-file-earmark`) !== null, 'another file has the generic icon');

  // Sort by size, both ways; filter.
  await page.click(`${host} th button:text("Size")`);
  check(await page.getAttribute(`${host} th:has(button:text("Size"))`, 'aria-sort') === 'ascending', 'sorted by size');
  let names = await column(1);
  check(names[0] === 'a.bin' && names[names.length - 1] === 'download.bin', 'smallest first: ' + names);
  await page.click(`${host} th button:text("Size")`);
  names = await column(1);
  check(names[0] === 'download.bin', 'largest first: ' + names);
  await page.fill(`${host} .data-table-filter`, 'b.bin');
  await page.waitForFunction((s) => document.querySelectorAll(s + ' tbody tr').length === 1, host);
  await page.fill(`${host} .data-table-filter`, '');

  // A file dropped from the desktop onto the Host's pane is uploaded into the open folder.
  const dropped = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(['dropped from the desktop\n'], 'dropped.txt', { type: 'text/plain' }));
    return d;
  });
  await page.dispatchEvent(host, 'drop', { dataTransfer: dropped });
  await finished('the dropped file', 'uploaded dropped.txt');
  await page.waitForSelector(hostRow('dropped.txt'));
  await go('dropped');

  // Upload files… is a labelled button; the file input behind it takes a file of this computer.
  check((await page.textContent(`${host} .f-upload`)).includes('Upload files'), 'a labelled upload button');
  check(await page.isHidden(`${host} .f-upload-input`), 'no raw file input shown');
  await page.setInputFiles(`${host} .f-upload-input`, cfg.uploadFile);
  await finished('the chosen file', 'uploaded chosen.bin');
  await page.waitForSelector(hostRow('chosen.bin'));
  check((await page.textContent(`${hostRow('chosen.bin')} td:nth-child(3)`)).trim() === '2.35 MB', 'the uploaded file\'s size');
  await go('uploaded');

  // Choose two files as in a file manager (a click, then Ctrl-click; Shift-click adds a range), delete them
  // together after one confirmation that names them.
  await page.click(`${host} th button:text("Name")`);
  await page.click(`${hostRow('a.bin')} td:nth-child(3)`);
  await page.click(`${hostRow('download.bin')} td:nth-child(3)`, { modifiers: ['Shift'] });
  let ticked = await page.$$eval(`${host} tbody input.row-select:checked`, (l) => l.map((x) => x.closest('tr').dataset.name));
  check(ticked.join() === 'a.bin,b.bin,chosen.bin,download.bin', 'Shift-click chose the range: ' + ticked);
  await page.click(`${hostRow('b.bin')} td:nth-child(3)`);
  await page.click(`${hostRow('a.bin')} td:nth-child(3)`, { modifiers: ['Control'] });
  ticked = await page.$$eval(`${host} tbody input.row-select:checked`, (l) => l.map((x) => x.closest('tr').dataset.name));
  check(ticked.join() === 'a.bin,b.bin', 'a click chose one, Ctrl-click added another: ' + ticked);
  await page.click(`${host} .f-delete`);
  await page.waitForSelector('dialog.tandem-dialog[open]');
  const question = await page.textContent('dialog.tandem-dialog[open] p');
  check(question.includes('2 items') && question.includes('a.bin') && question.includes('b.bin'), 'the confirmation names them: ' + question);
  await shot('files-delete-confirm');
  await page.click('dialog.tandem-dialog[open] button[value="ok"]');
  await finished('the deletion', 'deleted');
  await page.waitForSelector(hostRow('a.bin'), { state: 'detached' });
  await page.waitForSelector(hostRow('b.bin'), { state: 'detached' });
  check(await page.$(hostRow('hello.txt')) !== null, 'the unticked file stays');
  await shot('files');
  await go('deleted');

  // A Host file downloads to the browser, from the button on its row.
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }),
    page.click(`${hostRow('download.bin')} button[aria-label="Download download.bin"]`)]);
  check(download.suggestedFilename() === 'download.bin', 'the download keeps its name: ' + download.suggestedFilename());
  await download.saveAs(join(cfg.out, 'downloaded.bin'));
  await finished('the download', 'handed to the browser');
  await go('downloaded');

  // Task Manager: CPU and memory per process, live; sorted, filtered, and a process ended from its row.
  await page.click(`${view} button[data-panel="tools"]`);
  await page.click(`${view} .t-list li[data-tool="processes"] button`);
  check(await page.getAttribute(`${view} .t-list li[data-tool="processes"] button`, 'aria-current') === 'page', 'the chosen tool is marked');
  const table = `${view} .t-result table.t-table`;
  await page.waitForSelector(`${table} tbody tr`);
  const heads = await page.$$eval(`${table} thead th`, (t) => t.map((x) => x.textContent.trim()));
  check(heads.some((h) => h.startsWith('CPU %')) && heads.includes('Memory'), 'CPU and memory columns: ' + heads);
  await page.click(`${table} th button:text("Memory")`);
  await page.click(`${table} th button:text("Memory")`);
  check(await page.getAttribute(`${table} th:has(button:text("Memory"))`, 'aria-sort') === 'descending', 'sorted by memory, largest first');
  const unit = { bytes: 1, byte: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
  const memory = (await page.$$eval(`${table} tbody tr td:nth-child(5)`, (tds) => tds.slice(0, 20).map((t) => t.textContent.trim())))
    .filter((m) => m !== '');
  const amounts = memory.map((m) => { const [n, u] = m.split(' '); return Number(n) * unit[u]; });
  check(amounts.every((a, i) => Number.isFinite(a) && (i === 0 || a <= amounts[i - 1] * 1.01)), 'memory largest first, as it reads: ' + memory);
  await shot('task-manager');
  await page.fill(`${view} .t-result .data-table-filter`, 'sleep');
  const sleepRow = `${table} tr[data-key="${cfg.sleepPid}"]`;
  await page.waitForSelector(sleepRow);
  const cells = await page.$$eval(`${sleepRow} td`, (tds) => tds.map((t) => t.textContent.trim()));
  check(cells[1] === 'sleep', 'the process\'s name: ' + cells);
  check(/^\d+(\.\d)?$/.test(cells[3]), 'its CPU use: ' + cells[3]);
  check(/^[\d.]+ (kB|MB)$/.test(cells[4]), 'its memory in human units: ' + cells[4]);
  // The list stays live (every 2 s) and keeps the filter.
  const count = await page.textContent(`${view} .t-count`);
  check(count.includes('live'), 'the table refreshes itself: ' + count);
  await page.click(`${sleepRow} button[aria-label^="End process"]`);
  await page.waitForSelector('dialog.tandem-dialog[open]');
  const ask = await page.textContent('dialog.tandem-dialog[open] p');
  check(ask.includes(cfg.sleepPid) && ask.includes('sleep'), 'the confirmation names the process: ' + ask);
  await page.click('dialog.tandem-dialog[open] button[value="ok"]');
  await page.waitForSelector('#status:text("ended")');
  await page.waitForSelector(sleepRow, { state: 'detached' });
  await go('ended');
  await page.click(`${view} .t-live`);
  check(await page.getAttribute(`${view} .t-live`, 'aria-pressed') === 'false', 'live refresh pauses');

  // A Host that shares no folder: its pane says what to do next, where the folders would be.
  await page.click('button[data-tab="quick"]');
  await page.fill('#quick-address', cfg.bareHostAddress);
  await page.fill('#quick-password', cfg.hostPassword);
  await page.click('#quick-connect');
  await page.waitForFunction(() => document.querySelectorAll('section.connection').length === 2
    && !document.querySelectorAll('section.connection')[1].classList.contains('hidden'));
  await page.click(`${view} button[data-panel="files"]`);
  await page.waitForSelector(`${host} .f-hint`);
  const hint = await page.textContent(`${host} .f-hint`);
  check(hint.includes('This Host shares no folders: add one in etc/org.tandemrc.files.cfg on the Host'), 'the empty state says what to do: ' + hint);
  check(!(await page.textContent('#status')).includes('shares no folders'), 'the pane says it, not an error notice');
  await shot('files-no-shares');
  console.log('PASSED');
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  try { console.log('STATUS-LINE ' + await page.textContent('#status', { timeout: 1000 })); } catch (x) { /* none */ }
  try { await page.screenshot({ path: join(cfg.screenshots, 'files-failure.png') }); } catch (x) { /* browser gone */ }
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
