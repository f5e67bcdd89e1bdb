// The conversation of a browser script with the Java test that drives it: the script prints "STEP name"
// where the Java side has to act or check, and waits for "go name" on stdin; its config comes in
// TANDEM_TEST_CONFIG.
import { createInterface } from 'node:readline';

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
