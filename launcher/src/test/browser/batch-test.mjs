// The console's Many Hosts page, driven by BatchIT: the first administrator's login, then one tool operation
// on a phonebook folder of two records (a Host that answers, an address where nothing listens); the table
// fills with one row each, the progress line counts them, and a wrong argument line is refused on the page.
import { chromium } from 'playwright-core';
import { axeCheck, cfg, check, runScript, setUpConsole } from './steps.mjs';
import { join } from 'node:path';

const browser = await chromium.launch({ executablePath: cfg.chromium, args: ['--no-sandbox', '--disable-gpu'] });

await runScript(browser, async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('PAGE-ERROR ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log('PAGE-CONSOLE ' + m.text()); });
  await setUpConsole(page);
  await page.click('button[data-tab="batch"]');
  await page.waitForSelector('#tab-batch:not(.hidden)');
  check(await page.isVisible('#batch-text') && !(await page.isVisible('#batch-tool')), 'a message is the first action');
  await page.fill('#batch-hosts', 'office/');
  await page.selectOption('#batch-kind', 'tool');
  check(await page.isVisible('#batch-tool') && !(await page.isVisible('#batch-text')), 'the tool fields replace the message');
  await page.fill('#batch-tool', 'system');
  await page.fill('#batch-operation', 'show');
  await page.fill('#batch-parallel', '2');
  await page.click('#batch-run');
  await page.waitForFunction(() => document.querySelector('#batch-progress').textContent.endsWith('failed.'), null,
    { timeout: 90000 });
  const progress = await page.textContent('#batch-progress');
  check(progress === 'tool system show: 2 of 2 Host(s) done, 1 failed.', 'the progress line counts both Hosts: ' + progress);
  const rows = await page.textContent('#batch-table tbody');
  check(rows.includes('office/a') && rows.includes('Operating system: ') && rows.includes('office/down')
    && rows.includes('cannot connect to tcp:127.0.0.1:1'), 'one row per Host with its outcome: ' + rows);
  check((await page.$$('#batch-table tbody tr')).length === 2, 'two rows');
  await page.waitForSelector('#status.error:text("1 of 2 Host(s) failed.")');
  await page.mouse.move(1300, 880);
  await page.screenshot({ path: join(cfg.screenshots, 'batch.png') });
  await axeCheck(page, 'batch');

  await page.fill('#batch-arguments', 'not an argument');
  await page.click('#batch-run');
  await page.waitForSelector('#status.error:text("is not NAME=VALUE")');
});
