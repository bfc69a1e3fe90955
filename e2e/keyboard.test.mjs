// Every item type answered with the keyboard alone: Tab, arrows, Alt+arrows, Space, Enter, digits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { answerByKeyboard, tabTo } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

const kinds = [
  ['single', (q) => q.type === 'single' && !q.scenario],
  ['multi', (q) => q.type === 'multi'],
  ['order', (q) => q.type === 'order'],
  ['match', (q) => q.type === 'match'],
  ['hotspot grid', (q) => q.type === 'hotspot' && q.grid],
  ['hotspot regions', (q) => q.type === 'hotspot' && !q.grid],
  ['scenario', (q) => !!q.scenario],
];

test('each item type can be answered right with the keyboard alone', async () => {
  const picked = kinds.map(([name, pred]) => {
    const q = bank.questions.find((x) => !x.retired && pred(x));
    assert.ok(q, `the bank has no ${name} question`);
    return [name, q];
  });
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await page.goto(server.url + 'practice/?scope=questions:' + picked.map(([, q]) => q.id).join(',') + '&size=' + picked.length);
    await appReady(page);
    for (const [name, q] of picked) {
      await answerByKeyboard(page, q, true, '#practice-session');
      await tabTo(page, '[data-role=check]');
      // Focus is visible where it lands.
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', `${name}: no visible focus on the check button`);
      await page.keyboard.press('Enter');
      await page.waitForSelector('.feedback .verdict');
      assert.equal((await page.textContent('.feedback .verdict')).trim(), '✓ Correct', `${name} (${q.id}) answered by keyboard`);
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('#practice-done:not([hidden])');
  } finally {
    await b.close();
  }
});
