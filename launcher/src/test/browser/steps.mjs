// The conversation of a browser script with the Java test that drives it: the script prints "STEP name"
// where the Java side has to act or check, and waits for "go name" on stdin; its config comes in
// TANDEM_TEST_CONFIG.
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const cfg = JSON.parse(process.env.TANDEM_TEST_CONFIG);
const lines = createInterface({ input: process.stdin });
const waiting = [];
const received = [];
lines.on('line', (l) => { const w = waiting.shift(); if (w) w(l); else received.push(l); });
const nextLine = () => new Promise((resolve) => { const l = received.shift(); if (l !== undefined) resolve(l); else waiting.push(resolve); });

export function step(name, detail = '') { console.log('STEP ' + name + (detail ? ' ' + detail : '')); }

/** Tells the Java side to act, and waits until it has. */
export async function go(name) {
  step(name);
  const l = await nextLine();
  if (l !== 'go ' + name) throw new Error('expected "go ' + name + '", got "' + l + '"');
}

export function check(ok, what) { if (!ok) throw new Error('check failed: ' + what); }

/** Stops reading stdin, so that the script can end. */
export function done() { lines.close(); }

/** Sets the console's password through its one-time setup link (cfg.setupUrl) and waits for the console. */
export async function setUpConsole(page) {
  await page.goto(cfg.setupUrl);
  await page.waitForSelector('#login:not(.hidden)');
  await page.fill('#login-password', cfg.consolePassword);
  await page.fill('#login-confirm', cfg.consolePassword);
  await page.click('#login-submit');
  await page.waitForSelector('#app:not(.hidden)');
}

let axeSource = null;

/**
 * Runs axe-core (package-lock.json pins it) over the page as it is now: prints a line per violation and
 * element ("AXE screen impact rule target"), a summary line per screen, and fails on any critical or
 * serious violation. Injected through the debugging protocol, so the console's script-src 'self' needs no
 * exception for it.
 */
export async function axeCheck(page, screen) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) })));
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of violations) {
    counts[v.impact] = (counts[v.impact] || 0) + v.targets.length;
    for (const t of v.targets) console.log('AXE ' + screen + ' ' + v.impact + ' ' + v.id + ' ' + t);
  }
  console.log('AXE-SUMMARY ' + screen + ' ' + Object.entries(counts).map(([k, n]) => k + '=' + n).join(' '));
  const blocking = violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  check(!blocking.length, 'axe finds no critical or serious violation on ' + screen + ': '
    + blocking.map((v) => v.id + ' (' + v.impact + ') at ' + v.targets.join(', ')).join('; '));
}

/**
 * Runs a browser script's body: "STEP done" when it gets through, "FAILED" with the error and exit status 1
 * when it throws; the browser closes and stdin is let go either way.
 */
export async function runScript(browser, body) {
  try {
    await body();
    step('done');
  } catch (e) {
    console.log('FAILED ' + (e.stack || e));
    process.exitCode = 1;
  } finally {
    await browser.close();
    done();
  }
}
