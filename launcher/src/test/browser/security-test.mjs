// The Security Server's pages in the browser console, driven by ConsoleSecurityServerIT: the administrator
// (the node's setup link) approves the Host waiting as pending, adds a Guest ID and a rule, enrols a one-time
// code (the QR code is shown), then searches the audit trail and verifies it. axe on every view; the Java
// side checks the role's own lists and events in between (STEP changed).
import { chromium } from 'playwright-core';
import { axeCheck, cfg, check, go, runScript, step } from './steps.mjs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });

const shot = async (page, name) => { await page.mouse.move(1300, 880); await page.screenshot({ path: join(cfg.screenshots, name + '.png') }); step('screenshot', name); await axeCheck(page, name); };

async function view(page, name) {
  await page.click(`#security-views [data-view="${name}"]`);
  await page.waitForSelector(`.security-view[data-view="${name}"]:not(.hidden)`);
}

await runScript(browser, async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log('PAGE-CONSOLE ' + m.text()); });
  await page.goto(cfg.setupUrl);
  await page.waitForSelector('#login:not(.hidden)');
  await page.fill('#login-user', 'alice');
  await page.fill('#login-password', cfg.consolePassword);
  await page.fill('#login-confirm', cfg.consolePassword);
  await page.click('#login-submit');
  await page.waitForSelector('#app:not(.hidden)');
  check(await page.isVisible('#security-tab'), 'the administrator of a node with the role sees the Security Server tab');

  // A supporter neither sees the tab nor reaches its requests.
  await page.click('#accounts-tab');
  await page.fill('#accounts-user', 'bob');
  await page.selectOption('#accounts-role', 'supporter');
  await page.click('#accounts-add-submit');
  await page.waitForSelector('#accounts-link:not(.hidden)');
  const bob = await (await browser.newContext()).newPage();
  await bob.goto(await page.inputValue('#accounts-link-url'));
  await bob.waitForSelector('#login:not(.hidden)');
  await bob.fill('#login-password', 'bob has his own password');
  await bob.fill('#login-confirm', 'bob has his own password');
  await bob.click('#login-submit');
  await bob.waitForSelector('#app:not(.hidden)');
  check(!(await bob.isVisible('#security-tab')), 'a supporter has no Security Server tab');
  const refused = await bob.evaluate(async () => Promise.all(['GET /api/security', 'POST /api/security/guests/delete']
    .map(async (r) => {
      const [method, path] = r.split(' ');
      try { await window.tandem.api(method, path, method === 'POST' ? { id: 'opsie' } : undefined); return 'answered'; } catch (e) { return e.message; }
    })));
  check(refused.every((m) => m === 'only console administrators manage the Security Server'), 'the API refuses a supporter: ' + refused);
  step('bob-refused', refused.join(' / '));

  // The Host's key waits as pending until it is approved; it may take a moment to dial.
  await page.click('#security-tab');
  for (let i = 0; i < 60 && !(await page.$('#security-nodes tr[data-fingerprint]:has-text("pending")')); i++) {
    await page.waitForTimeout(1000);
    await page.click('#security-tab');
  }
  const pending = '#security-nodes tr[data-fingerprint]:has-text("pending")';
  await page.waitForSelector(pending);
  await shot(page, '19-security-nodes');
  await page.click(pending + ' button.security-approve');
  await page.waitForSelector('#security-approve-dialog[open]');
  await page.fill('#security-approve-name', 'db-1');
  await page.fill('#security-approve-groups', 'servers');
  await axeCheck(page, 'security-approve-dialog');
  await page.click('#security-approve-ok');
  await page.waitForSelector('#security-nodes tr[data-fingerprint]:has-text("db-1"):has-text("approved")');

  // A Guest ID: the password typed twice; differing copies are refused in the page.
  await view(page, 'guests');
  check((await page.textContent('#security-guests')).includes('No Guest IDs'), 'an empty list says what to do');
  await page.fill('#security-guest-id', 'opsie');
  await page.fill('#security-guest-groups', 'ops');
  await page.fill('#security-guest-password', 'opsie\'s password 1');
  await page.fill('#security-guest-again', 'opsie\'s password 2');
  await page.click('#security-guest-submit');
  await page.waitForSelector('#security-error:text("The two passwords differ")');
  await page.fill('#security-guest-again', 'opsie\'s password 1');
  await page.click('#security-guest-submit');
  await page.waitForSelector('#security-guests tr[data-guest="opsie"]');
  await shot(page, '20-security-guests');

  // A rule; a bad pattern gets the role's own sentence.
  await view(page, 'rules');
  await page.fill('#security-rule-guest', 'ops');
  await page.fill('#security-rule-host', 'db-*');
  await page.fill('#security-rule-role', 'Full access');
  await page.click('#security-rule-submit');
  await page.waitForSelector('#security-error:not(.hidden)');
  step('bad-rule', await page.textContent('#security-error'));
  await page.fill('#security-rule-guest', 'group:ops');
  await page.click('#security-rule-submit');
  await page.waitForSelector('#security-rules tr[data-position="1"]:has-text("group:ops")');
  await shot(page, '21-security-rules');

  // A one-time code: the QR code and the secret, once.
  await view(page, 'otp');
  await page.click('#security-otp tr[data-otp="opsie"] button[aria-label="Enrol opsie"]');
  await page.click('dialog[open] button.btn-primary');
  await page.waitForSelector('#security-otp-dialog[open]');
  const qr = await page.$eval('#security-otp-qr', (i) => ({ w: i.naturalWidth, h: i.naturalHeight, complete: i.complete, alt: i.alt }));
  check(qr.complete && qr.w > 0 && qr.h === qr.w, 'the QR code is shown: ' + JSON.stringify(qr));
  check(/^[A-Z2-7]{16,}$/.test(await page.textContent('#security-otp-secret')), 'the secret is shown');
  check((await page.textContent('#security-otp-uri')).startsWith('otpauth://totp/'), 'the otpauth URI is shown');
  await shot(page, '22-security-otp-enrol');
  await page.click('#security-otp-done');
  await page.waitForSelector('#security-otp-dialog', { state: 'hidden' });
  await page.waitForFunction(() => document.querySelector('#security-otp-secret').textContent === ''
    && !document.querySelector('#security-otp-qr').hasAttribute('src'));
  await page.waitForSelector('#security-otp tr[data-otp="opsie"]:has-text("enrolled, not required")');
  await page.click('#security-otp tr[data-otp="opsie"] button[aria-label="Require opsie"]');
  await page.click('dialog[open] button.btn-primary');
  await page.waitForSelector('#security-otp tr[data-otp="opsie"] button[aria-label="Do not require opsie"]');
  await go('changed');

  // The audit trail: the approved Host's events arrive; search by node and code, then verify.
  await view(page, 'audit');
  for (let i = 0; i < 60; i++) {
    await page.fill('#security-audit-node', 'db-1');
    await page.click('#security-audit-search');
    await page.waitForTimeout(1000);
    if (await page.$('#security-audit tbody tr td')) break;
  }
  const rows = await page.textContent('#security-audit tbody');
  check(rows.includes('db-1'), 'the Host\'s events are found by its node name: ' + rows);
  await page.fill('#security-audit-code', 'NOSUCHCODE');
  await page.click('#security-audit-search');
  await page.waitForSelector('#security-audit:has-text("No events match")');
  await page.fill('#security-audit-code', '');
  await page.fill('#security-audit-since', 'yesterday');
  await page.click('#security-audit-search');
  await page.waitForSelector('#security-error:text("not a time")');
  await page.fill('#security-audit-since', '');
  await page.click('#security-audit-search');
  await page.waitForSelector('#security-audit tbody tr td');
  await page.click('#security-audit-verify');
  await page.waitForSelector('#security-audit-verdict.alert-success:text("OK")');
  step('verified', await page.textContent('#security-audit-verdict'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#security-audit-export')]);
  const csv = await (await download.createReadStream()).toArray();
  check(Buffer.concat(csv).toString().startsWith('id,time,source,name,seq,code'), 'the export is the audit CSV');
  await shot(page, '23-security-audit');
});
