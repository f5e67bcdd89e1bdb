// The first look of a new user, driven by HostDesktopIT: `tandem start` on a desktop, its console in
// Debian's Chromium on the same X display (through playwright-core), "Connect to this computer", view and
// type. The Java side answers the Host's dialogs as the person would (xdotool) and checks the desktop; this
// script prints "STEP name" where the Java side acts and waits for "go name" on stdin.
import { chromium } from 'playwright-core';
import { cfg, check, done, go, step } from './steps.mjs';
import { join } from 'node:path';

// On the X display, not headless: the screenshots show the console and the Host's windows together.
const browser = await chromium.launch({ executablePath: cfg.chromium, headless: false,
  args: ['--no-sandbox', '--disable-gpu', '--window-position=0,0', '--window-size=1000,720'] });
const page = await (await browser.newContext({ viewport: { width: 1000, height: 620 } })).newPage();
page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));

try {
  await page.goto(cfg.setupUrl);
  await page.waitForSelector('#login:not(.hidden)');
  await page.fill('#login-password', cfg.consolePassword);
  await page.fill('#login-confirm', cfg.consolePassword);
  await page.click('#login-submit');
  await page.waitForSelector('#local-card:not(.hidden)');
  await page.click('#local-connect');
  const view = 'section.connection:not(.hidden)';
  await page.waitForSelector(view);
  // Connecting starts the screen by itself.
  // The console tells the supporter why nothing shows yet.
  await page.waitForSelector('#status:text("may have to allow it")');
  await go('asking-access');
  await page.waitForSelector(`${view} canvas.screen[data-ready="true"]`);
  // Not "View only": control comes once the person allows it.
  await page.waitForSelector(`${view} .r-onconsent:not(.hidden)`);
  check(!(await page.isVisible(`${view} .r-viewonly`)), 'the console does not say View only under Attended support');
  // The supporter moves the mouse over the Host's picture: the Host asks its person for keyboard and mouse.
  const box = await page.locator(`${view} canvas.screen`).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + 20, box.y + box.height / 2 + 10);
  await page.waitForSelector('#status:text("Asking the person at")');
  await go('asking-control');
  await page.waitForSelector('#status:text("You have keyboard and mouse of")');
  await page.evaluate(async () => { for (const v of window.tandem.views.values()) await v.remote.sync(); });
  await go('controlling');

  // Esc at the Host's keyboard takes it back; the next move asks the person again, who says no this time.
  await page.waitForSelector('#status:text("are no longer yours: the person at the Host pressed Esc")');
  check((await page.textContent('#status')).endsWith('your next keystroke or click asks again.'), 'it says the next input asks again');
  await page.mouse.move(box.x + box.width / 2 - 30, box.y + box.height / 2 - 20);
  await page.waitForSelector('#status:text("Asking the person at")');
  await go('asking-again');
  await page.waitForSelector('#status:text("did not give you control")');

  // A file for the person, on a Host that shares no folder: they choose where to save it.
  await page.click(`${view} button[data-panel="files"]`);
  // The pane first lists the home folder: only then go elsewhere, or that listing would come last.
  await page.waitForFunction((v) => document.querySelector(v + ' .pane-guest .f-path').value !== '', view);
  await page.fill(`${view} .pane-guest .f-path`, cfg.guestDir);
  await page.press(`${view} .pane-guest .f-path`, 'Enter');
  await page.click(`${view} .pane-guest tr[data-name="${cfg.fileName}"] td:nth-child(2)`);
  await page.click(`${view} .f-offer`);
  await page.waitForSelector(`${view} .f-state:text("waiting for the person at the Host")`);
  await go('offered');
  await page.waitForSelector(`${view} .f-state[data-state]`, { timeout: 60000 });
  const offered = await page.textContent(`${view} .f-state`);
  // The size in the console's units (1000-based, as format.js writes it): 8500 bytes read "8.5 kB".
  check(offered.includes('the person at the Host saved it (' + (cfg.fileBytes / 1000) + ' kB)'), 'the offer ended with: ' + offered);
  await page.screenshot({ path: join(cfg.screenshots, 'start-offer-file.png') });
  await go('saved');

  // The person at the Host opens a chat: the console shows it in the Chat panel, and answers there.
  await go('chat-by-host');
  await page.waitForSelector(`${view} .ch-log div:text("opened a chat")`);
  await page.waitForSelector(`${view} .ch-log div:text("hello from your desktop")`);
  await page.fill(`${view} .ch-input`, 'hello from the console');
  await page.press(`${view} .ch-input`, 'Enter');
  await page.waitForSelector(`${view} .ch-log div.me:text("hello from the console")`);
  await page.screenshot({ path: join(cfg.screenshots, 'start-chat-by-host.png') });
  await go('chat-answered');

  // The Host shares no folder: the Files panel says so where the folders would be. Once the person adds
  // a share, Refresh lists it (the panel does not stay at its first answer).
  await page.click(`${view} button[data-panel="files"]`);
  await page.waitForSelector(`${view} .pane-host .f-hint:has-text("shares no folders")`);
  await go('share-added');
  for (let i = 0; i < 30 && !(await page.$(`${view} .pane-host tr[data-name="${cfg.share}"]`)); i++) {
    await page.click(`${view} .pane-host .f-refresh`);
    await page.waitForTimeout(500);
  }
  await page.waitForSelector(`${view} .pane-host tr[data-name="${cfg.share}"]`, { timeout: 1000 });
  await page.screenshot({ path: join(cfg.screenshots, 'start-share-added.png') });
  await page.click(`${view} .c-disconnect`);
  step('done');
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  try { console.log('STATUS-LINE ' + await page.textContent('#status', { timeout: 1000 })); } catch (x) { /* none */ }
  try { await page.screenshot({ path: join(cfg.screenshots, 'start-failure.png') }); } catch (x) { /* browser gone */ }
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
