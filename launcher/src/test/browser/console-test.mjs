// The console's browser test, driven by ConsoleIT: real Chromium (Debian's, through playwright-core)
// against real nodes. It prints "STEP name ..." lines and waits for "go name" lines on stdin where
// the Java side has to act or check (the Host's terminal, the X server's framebuffer, the disk).
import { chromium } from 'playwright-core';
import { axeCheck, cfg, check, done, go, step } from './steps.mjs';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });
// A common laptop's window: the screenshots in docs/console-screenshots show the console at this size.
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
const page = await context.newPage();
page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log('PAGE-CONSOLE ' + m.text()); });
page.on('response', async (r) => { if (r.status() >= 400) console.log('HTTP ' + r.status() + ' ' + r.request().method() + ' ' + r.url() + ' ' + (await r.text().catch(() => ''))); });
const shot = async (name) => { await page.screenshot({ path: join(cfg.screenshots, name + '.png') }); step('screenshot', name); };
let screens = 0;
/** One screen of the console: numbered in visiting order (ConsoleIT copies these to the docs), checked by axe. */
const screen = async (name) => {
  await page.mouse.move(0, 0); // no hover look in the picture
  await page.waitForTimeout(300); // and no focus ring half faded in
  await shot(String(++screens).padStart(2, '0') + '-' + name);
  await axeCheck(page, name);
};
/** Presses Tab until the focus is on {@code selector}: the keyboard alone reaches it. */
const tabTo = async (selector, most = 60) => {
  for (let i = 0; i < most; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('check failed: Tab does not reach ' + selector + ' within ' + most + ' presses');
};
const dialogOk = 'dialog.tandem-dialog[open] button[value="ok"]';

try {
  // The page's clock runs as usual, but the test can move it on: notices that clear themselves.
  await page.clock.install();
  // Setup: the one-time link, then the console password.
  await page.goto(cfg.setupUrl);
  await page.waitForSelector('#login:not(.hidden)');
  check((await page.textContent('#login-intro')).includes('Choose the console password'), 'the setup form is shown');
  await screen('setup');
  await page.fill('#login-password', 'short');
  await page.fill('#login-confirm', 'short');
  await page.click('#login-submit');
  await page.waitForSelector('#login-error:text("at least 10 characters")');
  await page.fill('#login-password', cfg.consolePassword);
  await page.fill('#login-confirm', cfg.consolePassword);
  await page.click('#login-submit');
  await page.waitForSelector('#app:not(.hidden)');

  // Log out and in again: the password works, a wrong one does not.
  await page.click('#logout');
  await page.waitForSelector('#login:not(.hidden)');
  await page.fill('#login-password', 'not the password');
  await page.click('#login-submit');
  await page.waitForSelector('#login-error:text("wrong password")');
  await screen('login');
  await page.fill('#login-password', cfg.consolePassword);
  await page.click('#login-submit');
  await page.waitForSelector('#app:not(.hidden)');
  await screen('quick-connect');
  step('logged-in');

  // Support: this console node has no webconnect device, so the tab says what it needs and makes no
  // session (the end-to-end test makes one with a WebConnect manager).
  await page.click('#support-tab');
  await page.waitForSelector('#support-unavailable:not(.hidden)');
  check((await page.textContent('#support-unavailable')).includes('comm-webconnect'), 'the Support tab names the feature it needs');
  check(await page.isDisabled('#support-new'), 'New support session waits for the webconnect device');
  check((await page.inputValue('#support-supporter')) !== '', 'the supporter name is prefilled');
  await screen('support');

  // Phonebook: a folder and a record with a stored password.
  // The keyboard alone: from Quick Connect's tab, Tab reaches the Phonebook's, Enter shows it.
  await page.focus('button[data-tab="quick"]');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.dataset.tab === 'phonebook'), 'Tab goes from tab to tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#tab-phonebook:not(.hidden)');
  // The page's empty phonebook says what to do next.
  check((await page.textContent('#pb-table')).includes('Add one with New record'), 'the empty phonebook says how to fill it');
  await page.click('#pb-new-folder');
  await page.waitForSelector('dialog.tandem-dialog[open] input');
  await page.fill('dialog.tandem-dialog[open] input', 'Support/Lab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#pb-folders li[data-folder="Support/Lab"].selected');
  const topLevels = await page.$$eval('#pb-folders li', (l) => l.filter((x) => x.textContent === '(top level)').length);
  check(topLevels === 1, 'the folder list shows "(top level)" once, not ' + topLevels + ' times');
  await page.click('#pb-new');
  await page.fill('#pb-description', 'Lab host');
  await page.fill('#pb-name', cfg.hostAddress);
  await page.fill('#pb-profile', 'tcp');
  await page.fill('#pb-password', cfg.hostPassword);
  await page.fill('#pb-comment', 'the Xvfb Host, with "quotes", commas, and ünïcödé');
  await page.click('#pb-save');
  await page.waitForSelector('#pb-table tr[data-key="Lab host"]');
  await page.click('#pb-new');
  await page.fill('#pb-description', 'Second');
  await page.fill('#pb-name', 'tcp:192.0.2.1:6502');
  await page.fill('#pb-comment', 'line one\nline two');
  await page.click('#pb-save');
  await page.waitForSelector('#pb-table tr[data-key="Second"]');
  await screen('phonebook');

  // Open a record with the keyboard: Tab reaches its row, Enter opens it in the record dialog, Esc
  // closes it unchanged.
  await page.focus('button[data-tab="phonebook"]');
  await tabTo('#pb-table tr[data-key="Second"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#pb-dialog[open]');
  check(await page.inputValue('#pb-description') === 'Second', 'Enter on a row opens that record');
  check(await page.evaluate(() => document.activeElement.id === 'pb-description'), 'the record dialog takes the focus');
  await screen('phonebook-record');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#pb-dialog', { state: 'hidden' });

  // Export as CSV (passwords encrypted with a passphrase), delete, import: the same records.
  const before = await page.evaluate(async () => (await window.tandem.api('GET', '/api/phonebook')).entries);
  await page.fill('#pb-passphrase', 'export passphrase');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pb-export')]);
  const csvPath = join(cfg.out, 'phonebook.csv');
  await download.saveAs(csvPath);
  const csv = readFileSync(csvPath, 'utf8');
  check(csv.includes('Lab host') && !csv.includes(cfg.hostPassword), 'the CSV holds the records but not the password in clear');
  const deleteName = await page.getAttribute('#pb-table tr[data-key="Lab host"] button.pb-delete', 'aria-label');
  check(deleteName === 'Delete Lab host', 'a row\'s icon button names its action and its row once: ' + deleteName);
  // Delete asks first: Esc keeps the record, Enter (on the dialog's Delete) deletes it.
  await page.click('#pb-table tr[data-key="Lab host"] button.pb-delete');
  await page.waitForSelector(dialogOk);
  await page.keyboard.press('Escape');
  await page.waitForSelector(dialogOk, { state: 'detached' });
  check(await page.$('#pb-table tr[data-key="Lab host"]') !== null, 'Esc in the confirmation keeps the record');
  for (const d of ['Lab host', 'Second']) {
    await page.click(`#pb-table tr[data-key="${d}"] button.pb-delete`);
    await page.waitForSelector(dialogOk);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#pb-table tr[data-key="${d}"]`, { state: 'detached' });
  }
  await page.setInputFiles('#pb-import', csvPath);
  await page.waitForSelector('#status:text("Imported 2 records")');
  await page.clock.fastForward(11000);
  check(await page.textContent('#status') === '', 'a notice clears itself after a while: ' + await page.textContent('#status'));
  const after = await page.evaluate(async () => (await window.tandem.api('GET', '/api/phonebook')).entries);
  check(JSON.stringify(after) === JSON.stringify(before), 'records after export and import equal those before: '
    + JSON.stringify(before) + ' vs ' + JSON.stringify(after));
  step('phonebook-roundtrip', String(after.length));

  // Connect from the imported record: its password came back through the passphrase.
  await page.click('#pb-table tr[data-key="Lab host"] button.pb-connect');
  await page.waitForSelector('section.connection:not(.hidden)');
  const view = 'section.connection:not(.hidden)';
  // Connecting shows the screen: no button to find first.
  await page.waitForSelector(`${view} canvas.screen[data-ready="true"]`);
  // Fit to window fits exactly: the box ends at the window's bottom edge, the picture fills it in one
  // direction and stays inside it in the other, and the page does not scroll.
  const fit = await page.$eval(`${view} .screen-box`, (b) => {
    const c = b.querySelector('canvas.screen').getBoundingClientRect();
    const r = b.getBoundingClientRect();
    return { box: [r.left, r.top, r.right, r.bottom], canvas: [c.left, c.top, c.right, c.bottom], window: innerHeight,
      scroll: document.documentElement.scrollHeight };
  });
  const [bl, bt, br, bb] = fit.box;
  const [cl, ct, cr, cb] = fit.canvas;
  check(Math.abs(bb - fit.window) <= 1 && fit.scroll <= fit.window, 'the screen box ends at the window\'s bottom: ' + JSON.stringify(fit));
  check(cl >= bl && ct >= bt && cr <= br + 0.5 && cb <= bb + 0.5 && (br - cr <= 1.5 || bb - cb <= 1.5),
    'Fit to window fits the picture exactly into the box: ' + JSON.stringify(fit));
  // Wait until the picture is still: no update for a second.
  let frames = -1;
  for (let i = 0; i < 100; i++) {
    const f = await page.$eval(`${view} canvas.screen`, (c) => c.dataset.frames || '0');
    if (f === frames && f !== '0') break;
    frames = f;
    await page.waitForTimeout(1000);
  }
  const pixels = await page.$eval(`${view} canvas.screen`, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let s = '';
    for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
    return { width: c.width, height: c.height, rgba: btoa(s) };
  });
  writeFileSync(join(cfg.out, 'canvas.rgba'), Buffer.from(pixels.rgba, 'base64'));
  await screen('remote-control');
  await go('canvas ' + pixels.width + 'x' + pixels.height);

  // Typing in the page reaches the X client focused on the Host.
  await go('typing-target');
  await page.focus(`${view} canvas.screen`);
  await page.keyboard.type(cfg.typed);
  await page.evaluate(async () => { for (const v of window.tandem.views.values()) await v.remote.sync(); });
  await go('typed');

  // Blank screen on an X11 Host: the Host refuses, and the box does not stay ticked; the reason shows.
  // A click, not page.check: the refusal may untick the box before check() looks at it again.
  await page.click(`${view} .r-blank`);
  await page.waitForSelector('#status.error:text("cannot blank its screen")');
  check(!(await page.isChecked(`${view} .r-blank`)), 'Blank screen is unticked after the Host refused it');
  await shot('blank-refused');
  await page.click(`${view} .r-start`); // stop viewing
  await page.waitForSelector(`${view} .r-start:text("View screen")`);

  // A file dragged from the Guest's pane to the Host's shared folder arrives.
  await page.click(`${view} button[data-panel="files"]`);
  await page.waitForSelector(`${view} .pane-host tr[data-name="${cfg.share}"]`);
  await page.dblclick(`${view} .pane-host tr[data-name="${cfg.share}"]`);
  await page.waitForFunction(([v, s]) => document.querySelector(v + ' .pane-host .f-path').value === '/' + s, [view, cfg.share]);
  await page.fill(`${view} .pane-guest .f-path`, cfg.guestDir);
  await page.press(`${view} .pane-guest .f-path`, 'Enter');
  await page.waitForSelector(`${view} .pane-guest tr[data-name="${cfg.fileName}"]`);
  await page.dragAndDrop(`${view} .pane-guest tr[data-name="${cfg.fileName}"]`, `${view} .pane-host`);
  await page.waitForSelector(`${view} .f-state[data-state]`, { timeout: 60000 });
  const state = await page.$eval(`${view} .f-state`, (e) => e.dataset.state + ': ' + e.textContent);
  check(state.startsWith('done'), 'the transfer is done: ' + state);
  await page.waitForSelector(`${view} .pane-host tr[data-name="${cfg.fileName}"]`);
  await page.click(`${view} .pane-host .f-refresh`);
  await page.waitForSelector(`${view} .pane-host tr[data-name="${cfg.fileName}"]`);
  check(!(await page.$('#status.error')), 'no old error stays after the transfer worked: ' + await page.textContent('#status'));
  await screen('files');
  await go('file');

  // Chat both ways with the person at the Host's terminal.
  await page.click(`${view} button[data-panel="chat"]`);
  await page.click(`${view} .ch-open`);
  await page.waitForSelector(`${view} .ch-log div:text("Chat with")`);
  await go('chat-open');
  await page.waitForSelector(`${view} .ch-log div:text("hello from the Host")`);
  await page.fill(`${view} .ch-input`, 'thanks from the browser');
  await page.press(`${view} .ch-input`, 'Enter');
  await page.waitForSelector(`${view} .ch-log div.me:text("thanks from the browser")`);
  await screen('chat');
  await go('chat-sent');

  // Send Message with the keyboard: the arrow key moves along the panel tabs, Tab into the panel.
  await page.focus(`${view} button[data-panel="chat"]`);
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector(`${view} .panel-message:not(.hidden)`);
  check(await page.getAttribute(`${view} button[data-panel="message"]`, 'aria-selected') === 'true', 'the arrow key selects the next panel');
  await tabTo(`${view} .m-text`);
  await page.keyboard.type('Your printer is fixed');
  await tabTo(`${view} .m-form button[type="submit"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${view} .m-result:text("Message delivered.")`);
  await screen('message');

  // Tools: what the Host advertises, rendered from the declared schema.
  await page.click(`${view} button[data-panel="tools"]`);
  await page.click(`${view} .t-list li[data-tool="system"]`);
  await page.click(`${view} .t-body form[data-operation="show"] button`);
  await page.waitForSelector(`${view} .t-result table th:text("Processors")`);
  await page.click(`${view} .t-list li[data-tool="processes"]`);
  await page.click(`${view} .t-body form[data-operation="list"] button`);
  await page.waitForSelector(`${view} .t-result table.t-table tbody tr`);
  check(await page.$(`${view} form[data-operation="end"] input[name="pid"][type="number"]`) !== null,
    'the end-process form is rendered from its INTEGER parameter');
  await screen('tools');

  // Connections and History list it; the connection page's old error does not follow to another tab.
  await page.click('button[data-tab="connections"]');
  check(!(await page.textContent('#status')).includes('cannot blank'), 'the refusal stays with the page that caused it');
  await page.waitForSelector('#connections-table td.sessions');
  await screen('connections');
  await page.click('button[data-tab="history"]');
  await page.waitForSelector('#history-table td:has-text("connected as")');
  await screen('history');
  // The first account is an administrator: the Accounts page lists it, as "you".
  await page.click('#accounts-tab');
  await page.waitForSelector('#accounts-table tr[data-user] >> text=(you)');
  await screen('accounts');
  // The password dialog behind the supporter's name in the header.
  await page.click('#my-password');
  await page.waitForSelector('#password-dialog[open]');
  await screen('password');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#password-dialog', { state: 'hidden' });
  // Quick Connect lists the Host just used; choosing it fills in its address and asks for the password.
  await page.click('button[data-tab="quick"]');
  await page.click('#recent-list button.recent-host');
  check(await page.inputValue('#quick-address') === cfg.hostAddress, 'a recent Host fills in its address: ' + await page.inputValue('#quick-address'));
  check(await page.evaluate(() => document.activeElement.id === 'quick-password'), 'then the password field has the focus');
  await screen('quick-connect-recent');

  // Help Request: the Host asks for help (the Java side runs 'tandem admin help request'); the
  // supporter sees it counted on the tab, takes it and logs on over the link the Host dialed.
  await page.waitForSelector('#help-tab:not(.hidden)');
  await go('help-request');
  await page.waitForSelector('#help-count:text("1")');
  await page.click('#help-tab');
  await page.waitForSelector(`#help-table td:text("${cfg.problem}")`);
  await screen('help-request');
  await page.click('#help-table button.help-take');
  await page.waitForSelector('#help-dialog[open]');
  check(await page.evaluate(() => document.activeElement.id === 'help-password'), 'taking a request asks for the password first');
  await screen('help-take');
  await page.fill('#help-password', cfg.hostPassword);
  // Hold the answer to Take until the event socket has told the page of the new connection (the order
  // a slow logon gives, and every logon answer now takes half a second): still one view for it.
  await page.route('**/api/help/take', async (route) => {
    const response = await route.fetch();
    await page.waitForFunction(() => document.querySelectorAll('#connections-table tbody tr[data-key]').length === 2,
      null, { timeout: 20000 });
    await route.fulfill({ response });
  });
  await page.click('#help-take');
  await page.waitForSelector('#status:text("Helping")');
  await page.waitForSelector('#help-count', { state: 'hidden' });
  const helped = await page.$$('.page.connection');
  check(helped.length === 2, 'the taken request opened a second connection view, not ' + helped.length);
  await page.click('button[data-tab="history"]');
  await page.waitForSelector('#history-table td:has-text("help request: Support")');
  await shot('help-taken');

  // A closed connection's tab goes away once another page is shown: no pile of "(closed)" tabs. (The
  // first connection: the Java side checks that the help request stays taken.)
  await page.click('#connection-tabs .tab >> nth=0');
  await page.click(`${view} .c-disconnect`);
  await page.waitForSelector('#connection-tabs .tab:text("(closed)")');
  await page.click('button[data-tab="connections"]');
  await page.waitForFunction(() => document.querySelectorAll('#connection-tabs .tab').length === 1
    && !document.querySelector('#connection-tabs').textContent.includes('(closed)'));
  check((await page.$$('.page.connection')).length === 1, 'the closed connection\'s page is gone');
  step('done');
} catch (e) {
  console.log('FAILED ' + (e.stack || e));
  try { console.log('STATUS-LINE ' + await page.textContent('#status', { timeout: 1000 })); } catch (x) { /* none */ }
  try { await page.screenshot({ path: join(cfg.screenshots, 'failure.png') }); } catch (x) { /* browser gone */ }
  process.exitCode = 1;
} finally {
  await browser.close();
  done();
}
