// Supporter accounts in the browser console, driven by ConsoleAccountsIT: the first administrator through
// the node's one-time link, a supporter added with a link of their own, each with their own history and
// personal phonebook beside the shared one, the Accounts page only for administrators, and a failed
// login that the Java side finds in the node's log (STEP failed-login).
import { chromium } from 'playwright-core';
import { axeCheck, cfg, check, go, runScript, step } from './steps.mjs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });

async function newPage(who) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('PAGE-ERROR ' + who + ' ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log('PAGE-CONSOLE ' + who + ' ' + m.text()); });
  return page;
}

const shot = async (page, name) => { await page.mouse.move(1300, 880); await page.screenshot({ path: join(cfg.screenshots, name + '.png') }); step('screenshot', name); await axeCheck(page, name); };

/** A Quick Connect that fails (nothing listens there): it still goes to the supporter's history. */
async function failedConnect(page, address) {
  await page.click('button[data-tab="quick"]');
  await page.fill('#quick-address', address);
  await page.fill('#quick-password', 'any host password');
  await page.click('#quick-connect');
  await page.waitForSelector('#status.error');
}

async function historyText(page) {
  await page.click('button[data-tab="history"]');
  await page.waitForSelector('#history-table tbody tr');
  return { head: await page.textContent('#history-table thead'), body: await page.textContent('#history-table tbody') };
}

/** Switches the Phonebook tab to the shared or the personal phonebook, and waits until it is listed. */
async function useBook(page, book) {
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/phonebook') && r.request().method() === 'GET'),
    page.click(`label[for="pb-book-${book}"]`)]);
  check(await page.isChecked('#pb-book-' + book), 'the switch shows the ' + book + ' phonebook');
}

await runScript(browser, async () => {
  // The first administrator: the node's link, a user name of their choice.
  const admin = await newPage('admin');
  await admin.goto(cfg.setupUrl);
  await admin.waitForSelector('#login:not(.hidden)');
  check((await admin.inputValue('#login-user')) !== '', 'the setup form suggests a user name');
  await admin.fill('#login-user', 'alice');
  await admin.fill('#login-password', cfg.consolePassword);
  await admin.fill('#login-confirm', cfg.consolePassword);
  await admin.click('#login-submit');
  await admin.waitForSelector('#app:not(.hidden)');
  check((await admin.textContent('#whoami-name')) === 'alice', 'the header names the supporter');
  check(await admin.isVisible('#logout'), 'Log out is beside the name');
  check(await admin.isVisible('#accounts-tab'), 'an administrator sees the Accounts tab');
  await failedConnect(admin, cfg.aliceAddress);

  // A record in the shared phonebook.
  await admin.click('button[data-tab="phonebook"]');
  await admin.click('#pb-new');
  await admin.fill('#pb-description', 'Shared server');
  await admin.fill('#pb-name', 'tcp:192.0.2.7:6502');
  await admin.click('#pb-save');
  await admin.waitForSelector('#pb-table tr[data-description="Shared server"]');

  // Alice adds Bob: a one-time link, no password chosen for him.
  await admin.click('#accounts-tab');
  await admin.waitForSelector('#accounts-table tr[data-user="alice"]');
  await admin.fill('#accounts-user', 'bob');
  await admin.selectOption('#accounts-role', 'supporter');
  await admin.click('#accounts-add-submit');
  await admin.waitForSelector('#accounts-table tr[data-user="bob"]');
  await admin.waitForSelector('#accounts-link:not(.hidden)');
  const link = await admin.inputValue('#accounts-link-url');
  check(link.includes('/#setup='), 'the Accounts page gives a one-time link: ' + link);
  check((await admin.textContent('#accounts-table tr[data-user="bob"]')).includes('waiting for setup'), 'bob waits for setup');
  await shot(admin, 'accounts-01-admin-added-bob');

  // Bob opens his link and chooses his own password.
  const bob = await newPage('bob');
  await bob.goto(link);
  await bob.waitForSelector('#login:not(.hidden)');
  await bob.waitForSelector('#login-intro:text("Welcome, bob")');
  check(await bob.$eval('#login-user', (i) => i.readOnly && i.value === 'bob'), 'the link is for bob, and says so');
  await shot(bob, 'accounts-02-bob-sets-password');
  await bob.fill('#login-password', 'bob has his own password');
  await bob.fill('#login-confirm', 'bob has his own password');
  await bob.click('#login-submit');
  await bob.waitForSelector('#app:not(.hidden)');
  check((await bob.textContent('#whoami-name')) === 'bob', 'the header names bob');
  check(!(await bob.isVisible('#accounts-tab')), 'a supporter has no Accounts tab');
  const refused = await bob.evaluate(async () => {
    try { await window.tandem.api('GET', '/api/accounts'); return 'answered'; } catch (e) { return e.message; }
  });
  check(refused.includes('only an administrator'), 'the accounts API refuses a supporter: ' + refused);
  step('bob-refused', refused);

  // Bob's history holds his connection only.
  await failedConnect(bob, cfg.bobAddress);
  const bobs = await historyText(bob);
  check(bobs.body.includes(cfg.bobAddress.replace('tcp:', '')) && !bobs.body.includes(cfg.aliceAddress.replace('tcp:', '')),
    'bob sees only his history: ' + bobs.body);
  check(!bobs.head.includes('Supporter'), 'a supporter\'s history has no Supporter column');

  // The shared phonebook holds alice's record; bob's own is empty until he moves it there.
  await bob.click('button[data-tab="phonebook"]');
  await bob.waitForSelector('#pb-table tr[data-description="Shared server"]');
  check(await bob.isChecked('#pb-book-shared'), 'the shared phonebook is shown first');
  await useBook(bob, 'personal');
  await bob.waitForSelector('#pb-table tr[data-description="Shared server"]', { state: 'detached' });
  await useBook(bob, 'shared');
  await bob.click('#pb-table tr[data-description="Shared server"] button.pb-move');
  await bob.waitForSelector('#status:text("to the personal phonebook")');
  await bob.waitForSelector('#pb-table tr[data-description="Shared server"]', { state: 'detached' });
  await useBook(bob, 'personal');
  await bob.waitForSelector('#pb-table tr[data-description="Shared server"]');
  await shot(bob, 'accounts-03-bob-personal-phonebook');
  step('moved');

  // Log out; a wrong password and an unknown name are answered alike.
  await bob.click('#logout');
  await bob.waitForSelector('#login:not(.hidden)');
  check((await bob.inputValue('#login-user')) === 'bob', 'the login form remembers the user name');
  const wrongLogin = async (user, password) => {
    await bob.fill('#login-user', user);
    await bob.fill('#login-password', password);
    const [answer] = await Promise.all([bob.waitForResponse((r) => r.url().endsWith('/api/login')), bob.click('#login-submit')]);
    await bob.waitForFunction(() => document.querySelector('#login-error').textContent !== '');
    return answer.status() + ' ' + await bob.textContent('#login-error');
  };
  const wrongPassword = await wrongLogin('bob', 'not bob\'s password');
  const unknownName = await wrongLogin('mallory', 'a guess at a password');
  check(wrongPassword === '400 wrong password or user name' && unknownName === wrongPassword,
    'a wrong password and an unknown user name are answered alike: ' + wrongPassword + ' / ' + unknownName);
  await go('failed-login');

  // Alice sees everyone's history, with who made each connection, and disables bob.
  const all = await historyText(admin);
  check(all.head.includes('Supporter') && all.body.includes('alice') && all.body.includes('bob'),
    'an administrator sees everyone\'s history: ' + all.head + ' / ' + all.body);
  await shot(admin, 'accounts-04-admin-history');
  await admin.click('#accounts-tab');
  await admin.click('#accounts-table tr[data-user="bob"] button[aria-label="Disable bob"]');
  await admin.waitForSelector('#accounts-table tr[data-user="bob"]:has-text("disabled")');
  // Alice cannot remove herself, the only administrator.
  await admin.click('#accounts-table tr[data-user="alice"] button[aria-label="Delete alice"]');
  await admin.click('dialog[open] button.btn-danger');
  await admin.waitForSelector('#accounts-error:text("at least one enabled administrator")');
  await bob.fill('#login-user', 'bob');
  await bob.fill('#login-password', 'bob has his own password');
  await bob.click('#login-submit');
  await bob.waitForSelector('#login-error:text("disabled")');
});
