// The supporter's half of AdHocSupportIT: Debian's Chromium (through playwright-core, headless) in the
// supporter's network namespace, on the console there. It makes a support session, waits while the
// person downloads the temporary Host and joins, connects from the session's row, takes control, is
// sent away with Esc, reconnects and ends the session. "STEP name" lines tell the Java side where to act;
// it answers "go name" on stdin (steps.mjs).
import { chromium } from 'playwright-core';
import { cfg, check, done, go, setUpConsole, step } from './steps.mjs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
await context.grantPermissions(['clipboard-read', 'clipboard-write']);
const page = await context.newPage();
page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));
page.on('response', async (r) => { if (r.status() >= 400) console.log('HTTP ' + r.status() + ' ' + r.request().method() + ' ' + r.url() + ' ' + (await r.text().catch(() => ''))); });
const shot = async (name) => { await page.screenshot({ path: join(cfg.screenshots, name + '.png') }); step('screenshot', name); };
const view = 'section.connection:not(.hidden)';

/** Connects from the session's row, which starts the screen; the person at the Host is asked. */
async function connectFromRow(code) {
  await page.click('button[data-tab="support"]');
  await page.click('#support-connect-' + code);
  await page.waitForSelector(view);
  await page.waitForSelector('#status:text("may have to allow it")');
}

try {
  await setUpConsole(page);

  // New support session: a code to read out, a link to send, how long the code is valid.
  await page.click('button[data-tab="support"]');
  await page.waitForSelector('#support-new:not([disabled])');
  await page.fill('#support-supporter', cfg.supporter);
  await page.click('#support-new');
  await page.waitForSelector('#support-code:not(:empty)');
  const shown = (await page.textContent('#support-code')).trim();
  check(/^\d{3} \d{3} \d{3}$/.test(shown), 'the code is shown in groups of three: ' + shown);
  const code = shown.replace(/ /g, '');
  const link = (await page.textContent('#support-link')).trim();
  check(link.startsWith('https://'), 'the link is an https address: ' + link);
  await page.click('#support-copy-code');
  check((await page.evaluate(() => navigator.clipboard.readText())).replace(/ /g, '') === code, 'Copy code copies the code');
  await shot('adhoc-01-new-session');
  // The person downloads the temporary Host from the link and joins.
  await go('session ' + code + ' ' + link);
  await page.waitForSelector('#support-connect-' + code, { timeout: 60000 });
  await shot('adhoc-02-joined');

  await connectFromRow(code);
  await go('asking-access');
  await page.waitForSelector(`${view} canvas.screen[data-ready="true"]`);
  const box = await page.locator(`${view} canvas.screen`).boundingBox();
  // Over the typing target at the top left of the person's screen.
  const at = { x: box.x + box.width * 0.1, y: box.y + box.height * 0.2 };
  await page.mouse.move(at.x, at.y);
  await page.mouse.move(at.x + 5, at.y + 5);
  await page.waitForSelector('#status:text("Asking the person at")');
  await go('asking-control');
  await page.waitForSelector('#status:text("You have keyboard and mouse of")');
  await page.mouse.click(at.x + 5, at.y + 5);
  await page.focus(`${view} canvas.screen`);
  await page.keyboard.type(cfg.typed);
  await page.evaluate(async () => { for (const v of window.tandem.views.values()) await v.remote.sync(); });
  await shot('adhoc-03-controlling');
  await go('typed');

  // Esc at the person's keyboard takes control back.
  await page.waitForSelector('#status:text("are no longer yours: the person at the Host pressed Esc")');
  await page.click(`${view} .c-disconnect`);
  // The person's computer goes offline and comes back: the session goes on.
  await go('offline');

  // The supporter connects again from the session's row.
  await connectFromRow(code);
  await go('asking-again');
  await page.waitForSelector(`${view} canvas.screen[data-ready="true"]`);
  await shot('adhoc-04-again');
  await page.click(`${view} .c-disconnect`);

  // End session now: the temporary Host removes itself.
  await page.click('button[data-tab="support"]');
  await page.click('#support-end-' + code);
  await page.click('dialog.tandem-dialog[open] button[value="ok"]'); // the console's own confirmation
  await page.waitForSelector('#support-connect-' + code, { state: 'detached', timeout: 30000 });
  await shot('adhoc-05-ended');
  await go('ended');
  step('done');
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  for (const what of ['#status', '#support-unavailable', '#support-new-error', '#support-list-error']) {
    try { console.log('TEXT ' + what + ' ' + await page.textContent(what, { timeout: 1000 })); } catch (x) { /* none */ }
  }
  try { await page.screenshot({ path: join(cfg.screenshots, 'adhoc-failure.png') }); } catch (x) { /* browser gone */ }
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
