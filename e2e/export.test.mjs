// Export from one browser profile, import into a fresh one: the dashboard is the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

async function dashboard(page) {
  await page.goto(server.url + 'dashboard/');
  await appReady(page);
  return {
    domains: (await page.textContent('[data-role=domains]')).replace(/\s+/g, ' '),
    heat: await page.$$eval('.heat-cells a', (as) => as.map((a) => a.getAttribute('aria-label')).join('\n')),
    due: (await page.textContent('[data-role=due]')).trim(),
  };
}

test('export, then import into a fresh profile, reproduces the dashboard; garbage is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'issmp-export-'));
  const a = await launchProfile({ acceptDownloads: true });
  let exported, want;
  try {
    const page = await a.context.newPage();
    await page.goto(server.url + 'practice/?scope=all&size=5');
    await appReady(page);
    for (let i = 0; i < 5; i++) {
      const q = await shown(page, bank, '#practice-session');
      await answerByKeyboard(page, q, i !== 1, '#practice-session');
      await tabTo(page, '[data-role=check]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.feedback');
      await page.keyboard.press('Enter');
    }
    want = await dashboard(page);
    assert.match(want.domains, /5 answers|\d answers/);
    await page.goto(server.url + 'settings/');
    await appReady(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-role=export]')]);
    exported = join(dir, download.suggestedFilename());
    assert.match(download.suggestedFilename(), /^issmp-progress-\d{4}-\d{2}-\d{2}\.json$/);
    await download.saveAs(exported);
  } finally {
    await a.close();
  }

  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await page.goto(server.url + 'settings/');
    await appReady(page);
    // A garbage file changes nothing and says why.
    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, 'this is not progress');
    await page.setInputFiles('#import-file', garbage);
    await page.click('[data-role=import]');
    await page.waitForFunction(() => document.querySelector('[data-role=import-status]').textContent.includes('nothing was imported'));
    // The real file imports.
    await page.setInputFiles('#import-file', exported);
    await page.click('[data-role=import]');
    await page.waitForFunction(() => /Imported \d+ new events/.test(document.querySelector('[data-role=import-status]').textContent));
    const got = await dashboard(page);
    assert.deepEqual(got, want);
    // Importing again adds nothing.
    await page.goto(server.url + 'settings/');
    await appReady(page);
    await page.setInputFiles('#import-file', exported);
    await page.click('[data-role=import]');
    await page.waitForFunction(() => /Imported 0 new events/.test(document.querySelector('[data-role=import-status]').textContent));
  } finally {
    await b.close();
  }
});
