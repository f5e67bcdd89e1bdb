// The remote screen in the browser console, driven by ConsoleScreenIT: the encoded pictures decode to
// the Host's framebuffer (the Java side compares), the toolbar fits at 1366 px, the status line counts
// pictures and bytes, keyboard capture says when it is on and lets go, the colour limit reaches the Host,
// the clipboard follows both ways, and hostile messages close their socket and nothing else.
import { chromium } from 'playwright-core';
import { axeCheck, cfg, check, done, go, setUpConsole, step } from './steps.mjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
await context.grantPermissions(['clipboard-read', 'clipboard-write']);
const page = await context.newPage();
page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log('PAGE-CONSOLE ' + m.text()); });
const view = 'section.connection:not(.hidden)';
const canvas = `${view} canvas.screen`;

/** Waits until no picture arrived for a second. */
async function still() {
  let frames = -1;
  for (let i = 0; i < 60; i++) {
    const f = await page.$eval(canvas, (c) => c.dataset.frames || '0');
    if (f === frames && f !== '0') return;
    frames = f;
    await page.waitForTimeout(1000);
  }
  throw new Error('the picture never stood still');
}

/** The canvas's pixels as 0xRRGGBB numbers' distinct values, at most a few. */
const colours = () => page.$eval(canvas, (c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length && seen.size < 20; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return [...seen];
});

/** Waits until the picture is black and white only (or, with false, until it has other colours too). */
const pictureIs = (blackAndWhite) => page.waitForFunction(([c, bw]) => {
  const e = document.querySelector(c);
  const d = e.getContext('2d').getImageData(0, 0, e.width, e.height).data;
  for (let i = 0; i < d.length; i += 4 * 97) {
    const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    if (v !== 0 && v !== 0xffffff) return !bw;
  }
  return bw;
}, [canvas, blackAndWhite], { timeout: 30000 });

try {
  await setUpConsole(page);
  await page.fill('#quick-address', cfg.hostAddress);
  await page.fill('#quick-password', cfg.hostPassword);
  await page.click('#quick-connect');
  await page.waitForSelector(`${canvas}[data-ready="true"]`);

  // The toolbar is one row at 1366 px: every control crosses one horizontal line, nothing overflows.
  const bar = await page.$eval(`${view} .r-toolbar`, (t) => {
    const boxes = [...t.children].filter((c) => c.offsetParent !== null).map((c) => c.getBoundingClientRect());
    return { oneRow: Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom)),
      scroll: t.scrollWidth, width: t.clientWidth, right: Math.max(...boxes.map((b) => b.right)) };
  });
  check(bar.oneRow && bar.scroll <= bar.width && bar.right <= 1366, 'the remote toolbar does not wrap at 1366 px: ' + JSON.stringify(bar));

  await still();
  const pixels = await page.$eval(canvas, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let s = '';
    for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, rgba: btoa(s), bytes: c.dataset.bytes };
  });
  writeFileSync(join(cfg.out, 'canvas.rgba'), Buffer.from(pixels.rgba, 'base64'));
  await page.screenshot({ path: join(cfg.screenshots, 'screen-lossless.png') });
  await axeCheck(page, 'screen-lossless');
  await go('canvas ' + pixels.width + 'x' + pixels.height + ' ' + pixels.bytes);

  // The status line: pictures a second and bandwidth, measured in the page.
  await page.waitForFunction((v) => /\d+ fps · [\d.]+ (B|kB|MB)\/s/.test(document.querySelector(v + ' .r-rate').textContent), view);

  // Keyboard capture: on while the screen has the focus (connecting gives it the focus), and says so;
  // Ctrl+Alt+Shift lets go, and so does Release.
  await page.focus(canvas);
  await page.waitForSelector(`${view} .r-kbd:not(.hidden)`);
  check((await page.textContent(`${view} .r-kbd`)).includes('sent to the Host'), 'the notice says where keys go');
  await page.keyboard.down('Control');
  await page.keyboard.down('Alt');
  await page.keyboard.down('Shift');
  await page.keyboard.up('Shift');
  await page.keyboard.up('Alt');
  await page.keyboard.up('Control');
  await page.waitForSelector(`${view} .r-kbd.hidden`, { state: 'attached' });
  check(!(await page.$eval(canvas, (c) => document.activeElement === c)), 'Ctrl+Alt+Shift gives the keyboard back');
  check(await page.isVisible(`${view} .r-kbd-off`), 'the status line says how to type on the Host again');
  await page.focus(canvas);
  await page.waitForSelector(`${view} .r-kbd:not(.hidden)`);
  await page.click(`${view} .r-release`);
  await page.waitForSelector(`${view} .r-kbd.hidden`, { state: 'attached' });

  // Clipboard, Sync on by default for a role with the clipboard: this browser's goes to the Host when
  // the screen gets the focus; the Host's comes to this browser when it changes.
  check(await page.isChecked(`${view} .r-clip-sync`), 'Sync clipboard is on for a role that allows the clipboard');
  await page.evaluate(() => navigator.clipboard.writeText('from the browser'));
  await page.focus(canvas);
  await go('clipboard-sent');
  let pasted = '';
  for (let i = 0; i < 100 && pasted !== 'from the Host'; i++) {
    await page.waitForTimeout(200);
    pasted = await page.evaluate(() => navigator.clipboard.readText());
  }
  check(pasted === 'from the Host', 'the Host\'s clipboard reached this browser\'s: "' + pasted + '"');
  const box = await page.inputValue(`${view} .r-clip`);
  check(box === 'from the Host', 'the clipboard box shows the Host\'s text: "' + box + '"; ' + await page.textContent(`${view} .r-clip-state`));

  // Hostile messages on a second screen socket of the same connection: each closes that socket.
  const closes = await page.evaluate(async () => {
    const { wsUrl } = await import('/dom.js');
    const id = [...window.tandem.views.keys()][0];
    const open = (params = {}) => new Promise((resolve) => {
      const ws = new WebSocket(wsUrl('/ws/screen', Object.assign({ connection: id }, params)));
      ws.binaryType = 'arraybuffer';
      const t = setTimeout(() => resolve({ ws, layout: false }), 15000);
      ws.onmessage = (m) => { if (typeof m.data === 'string' && JSON.parse(m.data).t === 'layout') { clearTimeout(t); resolve({ ws, layout: true }); } };
      ws.onclose = (e) => { clearTimeout(t); resolve({ ws, layout: false, code: e.code }); };
    });
    const closed = (ws) => new Promise((resolve) => {
      if (ws.readyState === 3) { resolve(-1); return; }
      const t = setTimeout(() => resolve('still open'), 10000);
      ws.onclose = (e) => { clearTimeout(t); resolve(e.code); };
    });
    const out = {};
    const attacks = {
      notJson: 'this is not JSON',
      huge: JSON.stringify({ t: 'type', text: 'x'.repeat(3 * 1024 * 1024) }),
      binary: new Uint8Array(1000),
      unknown: JSON.stringify({ t: 'format-disk' }),
      colours: JSON.stringify({ t: 'view', colors: '65536' }),
      quality: JSON.stringify({ t: 'view', quality: 'perfect' }),
    };
    for (const [name, message] of Object.entries(attacks)) {
      const { ws, layout } = await open();
      if (!layout) { out[name] = 'never opened'; continue; }
      ws.send(message);
      out[name] = await closed(ws);
    }
    // A quality the page cannot have chosen is refused before the socket opens.
    out.badUrl = (await open({ quality: 'perfect' })).layout ? 'opened' : 'refused';
    // Acknowledgements nobody waits for change nothing.
    const { ws } = await open();
    for (let i = 0; i < 1000; i++) ws.send('{"t":"ack"}');
    await new Promise((r) => setTimeout(r, 500));
    out.acks = ws.readyState === 1 ? 'open' : 'closed';
    ws.close();
    return out;
  });
  console.log('CLOSES ' + JSON.stringify(closes));
  for (const name of ['notJson', 'unknown', 'colours', 'quality']) check(closes[name] === 1003, name + ' closes the socket with 1003: ' + JSON.stringify(closes));
  // The console closes with 1009 while the browser may still be sending the 3 MB: the browser then sees
  // the connection end (1006) before the close frame. Either way the socket is gone and the node stays.
  check(closes.huge === 1009 || closes.huge === 1006, 'an oversized message closes the socket (1009, or 1006 while still sending): ' + JSON.stringify(closes));
  check(typeof closes.binary === 'number' && closes.binary >= 1000, 'a binary message closes the socket: ' + JSON.stringify(closes));
  check(closes.badUrl === 'refused' && closes.acks === 'open', 'bad URL refused, stray acks harmless: ' + JSON.stringify(closes));
  check(await page.$eval(`${view} .r-rate`, () => true), 'the page is still there');

  // The first view still works: the colour limit of the CLI's --colors 2 reaches the Host and the
  // picture becomes black and white.
  await page.selectOption(`${view} .r-colors`, '2');
  await pictureIs(true);
  await still();
  const bw = await colours();
  check(bw.every((c) => c === 0 || c === 0xffffff), 'Black and white shows only black and white: ' + bw.map((c) => c.toString(16)));
  await page.screenshot({ path: join(cfg.screenshots, 'screen-black-and-white.png') });
  await page.selectOption(`${view} .r-colors`, 'true');
  await pictureIs(false);

  // Balanced: the photo-like area comes as JPEG and is drawn; no error on the way.
  const before = +(await page.$eval(canvas, (c) => c.dataset.frames));
  await page.selectOption(`${view} .r-quality`, 'balanced');
  await page.waitForFunction(([c, n]) => +document.querySelector(c).dataset.frames > n, [canvas, before]);
  await still();
  check(!(await page.$eval('#status', (s) => s.classList.contains('error'))), 'Balanced pictures are drawn without an error: '
    + await page.textContent('#status'));
  await pictureIs(false);

  // Full screen: the whole stage; the toolbar moves away after a while and comes back at the top edge.
  await page.click(`${view} .r-full`);
  await page.waitForFunction(() => document.fullscreenElement && document.fullscreenElement.classList.contains('r-stage'));
  await page.mouse.move(600, 500);
  await page.waitForSelector(`${view} .r-stage.toolbar-away`, { timeout: 10000 });
  await page.mouse.move(600, 2);
  await page.waitForSelector(`${view} .r-stage:not(.toolbar-away)`, { timeout: 5000 });
  await page.waitForTimeout(500); // the toolbar slides in
  const back = await page.locator(`${view} .r-toolbar`).boundingBox();
  check(back.y >= 0 && back.y < 10, 'the toolbar is back at the top of the full screen: ' + JSON.stringify(back));
  await page.screenshot({ path: join(cfg.screenshots, 'screen-full-screen.png') });
  await axeCheck(page, 'screen-full-screen');
  await page.evaluate(() => document.exitFullscreen());
  step('done');
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  try { console.log('STATUS-LINE ' + await page.textContent('#status', { timeout: 1000 })); } catch (x) { /* none */ }
  try { await page.screenshot({ path: join(cfg.screenshots, 'screen-failure.png') }); } catch (x) { /* browser gone */ }
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
