// The Command Console in the browser console, driven by ConsoleShellIT: the tools pane opens the Host's shell
// (after asking: it changes the Host) in xterm.js over /ws/tool-stream; what is typed runs in a real shell,
// colours render as colours (the page's strict style policy kept), Ctrl+C reaches the foreground process,
// and the shell's exit ends the stream with its status.
import { chromium } from 'playwright-core';
import { axeCheck, cfg, check, done, setUpConsole, step } from './steps.mjs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const errors = [];
page.on('pageerror', (e) => { errors.push(e.message); console.log('PAGE-ERROR ' + e.message); });
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log('PAGE-CONSOLE ' + m.text()); });
const view = 'section.connection:not(.hidden)';
const term = `${view} .t-stream .xterm`;
const screenText = () => page.$eval(`${view} .t-stream .xterm-rows`, (e) => [...e.children].map((r) => r.textContent).join('\n'));

/** Waits until the terminal shows {@code text}. */
async function shows(text, timeout = 30000) {
  await page.waitForFunction(([rows, t]) => {
    const e = document.querySelector(rows);
    return e && [...e.children].some((r) => r.textContent.includes(t));
  }, [`${view} .t-stream .xterm-rows`, text], { timeout });
}

try {
  await setUpConsole(page);
  await page.fill('#quick-address', cfg.hostAddress);
  await page.fill('#quick-password', cfg.hostPassword);
  await page.click('#quick-connect');
  await page.click(`${view} button[data-panel="tools"]`);
  await page.click(`${view} .t-list li[data-tool="shell"] button`);
  await page.click(`${view} .t-body form[data-operation="open"] button.t-open`);
  // It changes the Host: the page asks first.
  await page.click('dialog.tandem-dialog[open] button[value="ok"]');
  await page.waitForSelector(term);
  await page.waitForSelector(`${view} .t-stream-state:text("Running")`);
  await page.click(term);

  await page.keyboard.type('echo $((6 * 7))x; tty\n');
  await shows('42x');
  await shows('/dev/pts/');

  // The terminal fills the pane and follows the window, and the Host's terminal has its size.
  const size = () => page.$eval(`${view} .t-stream`, (b) => b.dataset.size.split('x'));
  let [cols, rows] = await size();
  check(Number(cols) > 100, 'the terminal fills the pane: ' + cols + ' columns');
  await page.keyboard.type('stty size\n');
  await shows(rows + ' ' + cols);
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.waitForFunction(([box, before]) => document.querySelector(box).dataset.size !== before,
    [`${view} .t-stream`, cols + 'x' + rows]);
  [cols, rows] = await size();
  await page.keyboard.type('clear; stty size\n');
  await shows(rows + ' ' + cols);
  await page.setViewportSize({ width: 1366, height: 900 });

  // Colours: red text is drawn red, so xterm.js's own styles reached the page through its strict policy.
  await page.keyboard.type("printf '\\033[31mred-%s\\033[0m\\n' text\n");
  await shows('red-text');
  const colour = await page.$eval(`${view} .t-stream .xterm-rows`, (rows) => {
    const span = [...rows.querySelectorAll('span')].find((s) => s.textContent.includes('red-text'));
    return span ? getComputedStyle(span).color : 'none';
  });
  const [r, g, b] = (colour.match(/\d+/g) || [0, 0, 0]).map(Number);
  check(r > 150 && g < 120 && b < 120, 'red text is drawn red, not ' + colour);
  const cell = await page.$eval(`${view} .t-stream .xterm-rows > div`, (d) => d.getBoundingClientRect().height);
  check(cell > 8 && cell < 40, 'rows have a terminal row height (' + cell + ' px): xterm.js laid it out');

  // Ctrl+C reaches the sleep, not the shell and not the page.
  await page.keyboard.type("sleep 60; echo sl''ept\n");
  await page.waitForTimeout(1000);
  await page.keyboard.press('Control+c');
  await page.keyboard.type('echo after-$((1 + 1))\n');
  await shows('after-2');
  check(!(await screenText()).includes('slept'), 'Ctrl+C ended the sleep');
  await page.screenshot({ path: join(cfg.screenshots, 'shell.png') });
  await axeCheck(page, 'shell');

  await page.keyboard.type('exit 3\n');
  await page.waitForSelector(`${view} .t-result[data-ended="exit status 3"]`);
  await page.waitForSelector(`${view} .t-stream-state:text("Ended: exit status 3")`);

  // Hostile pages on the tool-stream socket: each message closes its own socket, a wrong kind or tool is
  // the Host's refusal, and a kind the page cannot have chosen is refused before the socket opens.
  const hostile = await page.evaluate(async () => {
    const { wsUrl } = await import('/dom.js');
    const id = [...window.tandem.views.keys()][0];
    const socket = (params) => new Promise((resolve) => {
      const ws = new WebSocket(wsUrl('/ws/tool-stream', Object.assign({ connection: id, tool: 'shell', operation: 'open', kind: 'TERMINAL' }, params)));
      ws.binaryType = 'arraybuffer';
      const s = { ws, seen: [], opened: false };
      s.closed = new Promise((done) => ws.addEventListener('close', (e) => done(e.code)));
      ws.onmessage = (m) => { if (typeof m.data === 'string') s.seen.push(JSON.parse(m.data)); };
      ws.onopen = () => { s.opened = true; resolve(s); };
      s.closed.then(() => resolve(s));
    });
    const closed = (s) => Promise.race([s.closed, new Promise((r) => setTimeout(() => r('still open'), 10000))]);
    const out = {};
    const attacks = {
      notJson: ['this is not JSON'],
      unknown: [JSON.stringify({ t: 'format-disk' })],
      badAck: [JSON.stringify({ t: 'ack', bytes: -5 })],
      binary: [new Uint8Array(100)],
      twice: [JSON.stringify({ t: 'open', arguments: {} }), JSON.stringify({ t: 'open', arguments: {} })],
    };
    for (const [name, messages] of Object.entries(attacks)) {
      const sock = await socket({});
      if (!sock.opened) { out[name] = 'never opened'; continue; }
      for (const m of messages) sock.ws.send(m);
      out[name] = await closed(sock);
    }
    for (const [name, params] of Object.entries({ wrongKind: { kind: 'TEXT' }, noTool: { tool: 'registry' } })) {
      const sock = await socket(params);
      if (!sock.opened) { out[name] = 'never opened'; continue; }
      sock.ws.send(JSON.stringify({ t: 'open', arguments: {} }));
      await closed(sock);
      out[name] = sock.seen.find((m) => m.t === 'ended');
    }
    out.badKind = (await socket({ kind: 'EXPLODE' })).opened ? 'opened' : 'refused';
    return out;
  });
  console.log('HOSTILE ' + JSON.stringify(hostile));
  for (const name of ['notJson', 'unknown', 'badAck', 'twice']) check(hostile[name] === 1003, name + ' closes the socket with 1003: ' + JSON.stringify(hostile));
  check(typeof hostile.binary === 'number' && hostile.binary >= 1000, 'a binary message closes the socket: ' + JSON.stringify(hostile));
  for (const name of ['wrongKind', 'noTool']) check(hostile[name] && hostile[name].ok === false && hostile[name].sentence, name + ' is refused by the Host with a sentence: ' + JSON.stringify(hostile));
  check(hostile.badKind === 'refused', 'a kind no page sends is refused before the socket opens');
  check(errors.length === 0, 'no page errors: ' + errors.join('; '));
  step('done');
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  try { console.log('TERMINAL ' + await screenText()); } catch (x) { /* none */ }
  try { console.log('STATUS-LINE ' + await page.textContent('#status', { timeout: 1000 })); } catch (x) { /* none */ }
  try { await page.screenshot({ path: join(cfg.screenshots, 'shell-failure.png') }); } catch (x) { /* browser gone */ }
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
