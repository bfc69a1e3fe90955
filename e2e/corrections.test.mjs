// A corrected question's feedback says when it was corrected and links to the public log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, publicDir, appReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank, corrected, dir;

// A copy of the built site whose bank records two corrections of one question (the real log may
// hold none), served on its own.
before(async () => {
  bank = publishedBank();
  corrected = bank.questions.find((q) => q.type === 'single' && !q.retired && !q.scenario);
  corrected.corrections = [
    { date: '2026-12-07', what: 'The key is now the second option.' },
    { date: '2026-11-30', what: 'The stem names the regulator.' },
  ];
  dir = mkdtempSync(join(tmpdir(), 'issmp-corrected-'));
  cpSync(publicDir, dir, { recursive: true });
  const file = readdirSync(join(dir, 'bank')).find((f) => /^bank\..*\.json$/.test(f));
  writeFileSync(join(dir, 'bank', file), JSON.stringify(bank));
  for (const ext of ['.br', '.gz']) rmSync(join(dir, 'bank', file + ext), { force: true });
  server = await startServer({ dir });
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a corrected question says so under its explanation, newest first, each with a link to its entry', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}practice/?scope=questions:${corrected.id}&size=1`);
    await appReady(page);
    const q = await shown(page, bank, '#practice-session');
    assert.equal(q.id, corrected.id);
    await answerByKeyboard(page, q, true, '#practice-session');
    await tabTo(page, '[data-role=check]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.feedback .verdict');
    const lines = page.locator('.feedback [data-role=explanation] ~ .correction');
    assert.deepEqual((await lines.allTextContents()).map((t) => t.trim()), [
      'Corrected on 7 December 2026: The key is now the second option. (see Corrections)',
      'Corrected on 30 November 2026: The stem names the regulator. (see Corrections)',
    ]);
    assert.deepEqual(await lines.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      [`/corrections/#${corrected.id}`, `/corrections/#${corrected.id}`]);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test('a question never corrected says nothing of corrections', async () => {
  const other = bank.questions.find((q) => q.type === 'single' && !q.retired && !q.scenario && !q.corrections);
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await page.goto(`${server.url}practice/?scope=questions:${other.id}&size=1`);
    await appReady(page);
    const q = await shown(page, bank, '#practice-session');
    await answerByKeyboard(page, q, false, '#practice-session');
    await tabTo(page, '[data-role=check]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.feedback .verdict');
    assert.equal(await page.locator('.feedback .correction').count(), 0);
  } finally {
    await b.close();
  }
});
