// The browser's side of scripts/benchmark-console.sh (ConsoleBenchmark drives it): logs in to the
// console, connects to the Host and shows its screen while the workload runs; then keystroke to pixels
// in the browser: whenever the picture has been still for 300 ms, a key goes to the Host and the time
// until the next picture is drawn in the canvas is taken, as `tandem guest latency` does for the CLI.
import { chromium } from 'playwright-core';
import { cfg, done, go, setUpConsole, step } from './steps.mjs';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1920, height: 1200 } })).newPage();
page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));
try {
  await setUpConsole(page);
  await page.fill('#quick-address', cfg.hostAddress);
  await page.fill('#quick-password', cfg.hostPassword);
  await page.click('#quick-connect');
  await page.waitForSelector('section.connection:not(.hidden) canvas.screen[data-ready="true"]');
  await page.waitForTimeout(2000);
  await go('watching');
  // As the CLI's latency view: the Host does not follow its clipboard (it looks at it every 500 ms).
  const sync = 'section.connection:not(.hidden) .r-clip-sync';
  if (await page.isChecked(sync)) await page.uncheck(sync);
  await page.waitForTimeout(2000);
  const result = await page.evaluate(async (samples) => {
    const view = [...window.tandem.views.values()][0].remote;
    const c = view.canvas;
    const frames = () => +c.dataset.frames || 0;
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const times = [];
    const arrivals = [];
    let arrived = 0;
    view.ws.addEventListener('message', (m) => { if (typeof m.data !== 'string' && new Uint8Array(m.data)[0] === 3) arrived = performance.now(); });
    for (let i = 0; i < samples; i++) {
      for (let f = frames(); ; ) {
        await sleep(300);
        const g = frames();
        if (g === f) break;
        f = g;
      }
      const drawn = new Promise((resolve, reject) => {
        const seen = new MutationObserver(() => { seen.disconnect(); resolve(performance.now()); });
        seen.observe(c, { attributes: true, attributeFilter: ['data-frames'] });
        setTimeout(() => { seen.disconnect(); reject(new Error('no picture within 5 s of a keystroke')); }, 5000);
      });
      const t0 = performance.now();
      arrived = 0;
      view.send({ t: 'key', keysym: 0x78, down: true });
      view.send({ t: 'key', keysym: 0x78, down: false });
      const t1 = await drawn;
      times.push(t1 - t0);
      arrivals.push(arrived ? arrived - t0 : NaN);
    }
    // Only keystrokes whose picture message was seen arriving count in the split (NaN would poison the sort).
    const median = (a) => { const b = a.filter(Number.isFinite).sort((x, y) => x - y); return b.length ? b[b.length >> 1] : NaN; };
    const sorted = times.slice().sort((a, b) => a - b);
    return { median: sorted[samples >> 1], p95: sorted[Math.min(samples - 1, Math.ceil(samples * 0.95) - 1)], max: sorted[samples - 1],
      arrival: median(arrivals), drawing: median(times.map((t, i) => t - arrivals[i])), split: arrivals.filter(Number.isFinite).length };
  }, 40);
  step('latency', `over 40 keystrokes: median ${result.median.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, max ${result.max.toFixed(1)} ms`
    + ` (median of the ${result.split} whose message was seen: arrived ${result.arrival.toFixed(1)} ms after the key, drawn ${result.drawing.toFixed(1)} ms after that)`);
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
