// Open invitation in the browser console, driven by InvitationIT: paste the invitation's line, a wrong
// password is refused, the right one opens the normal connection view; the screen waits until the person
// at the Host allowed it (the Java side answers Confirm access).
import { chromium } from 'playwright-core';
import { cfg, check, done, go, setUpConsole, step } from './steps.mjs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));

try {
  await setUpConsole(page);
  check(await page.isHidden('#invitation-form'), 'the form waits for Open invitation');
  await page.click('#invitation-open');
  await page.waitForSelector('#invitation-form:not(.hidden)');
  await page.fill('#invitation-text', cfg.line);
  await page.dispatchEvent('#invitation-text', 'change');
  await page.waitForSelector('#invitation-about:text("Invitation from ' + cfg.hostName + '")');
  await page.fill('#invitation-password', 'not the password');
  await page.click('#invitation-connect');
  await page.waitForSelector('#status.error');
  const refused = await page.textContent('#status');
  check(refused.includes('wrong'), 'a wrong password is refused: ' + refused);
  await page.screenshot({ path: join(cfg.screenshots, 'invitation-refused.png') });
  step('refused', refused);
  await page.fill('#invitation-password', cfg.password);
  await page.click('#invitation-connect');
  const view = 'section.connection:not(.hidden)';
  await page.waitForSelector(view);
  const title = await page.textContent(`${view} .c-title`);
  check(title.includes(cfg.hostName), 'the connection view names the Host: ' + title);
  await page.screenshot({ path: join(cfg.screenshots, 'invitation-connected.png') });
  step('connected', title);
  // Connecting starts the screen by itself.
  await page.waitForSelector('#status:text("may have to allow it")');
  await go('asking-access');
  await page.waitForSelector(`${view} canvas.screen[data-ready="true"]`);
  await page.screenshot({ path: join(cfg.screenshots, 'invitation-screen.png') });
  step('done');
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  try { console.log('STATUS-LINE ' + await page.textContent('#status', { timeout: 1000 })); } catch (x) { /* none */ }
  try { await page.screenshot({ path: join(cfg.screenshots, 'invitation-failure.png') }); } catch (x) { /* browser gone */ }
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
