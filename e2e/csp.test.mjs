// The app works under the site's Content-Security-Policy (static/headers.json, the same one
// CloudFront sends): every page, practice, a mock exam, the dashboard and sync's QR code, with no
// violation reported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

test('every page and the quiz run under the CSP with no violation', async () => {
  const b = await launchProfile();
  try {
    const violations = [];
    await b.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const page = await b.context.newPage();
    page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text()); });
    const collect = async () => violations.push(...(await page.evaluate(() => window.__csp || [])));

    const res = await page.goto(server.url);
    assert.match(res.headers()['content-security-policy'], /'wasm-unsafe-eval'/);
    await collect();
    for (const path of ['domain-3/', 'domain-3/3-1/', 'glossary/', 'exam/', 'no-such-page/']) {
      await page.goto(server.url + path);
      await collect();
    }
    await page.goto(server.url + 'practice/?scope=all&size=6');
    await appReady(page);
    for (let i = 0; i < 6; i++) {
      const q = await shown(page, bank, '#practice-session');
      await answerByKeyboard(page, q, true, '#practice-session');
      await tabTo(page, '[data-role=check]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.feedback');
      await page.keyboard.press('Enter');
    }
    await collect();
    await page.goto(server.url + 'mock-exam/');
    await appReady(page);
    await collect();
    await page.goto(server.url + 'dashboard/');
    await appReady(page);
    assert.ok(await page.locator('.bar-fill').count() > 0, 'the dashboard drew no bars');
    await collect();
    await page.goto(server.url + 'settings/');
    await appReady(page);
    await page.click('[data-role=sync-create]');
    await page.waitForSelector('[data-role=sync-qr] svg');
    await page.waitForFunction(() => document.querySelector('[data-role=sync-status]').dataset.kind === 'ok', null, { timeout: 20000 });
    await collect();
    assert.deepEqual(violations, []);
  } finally {
    await b.close();
  }
});
