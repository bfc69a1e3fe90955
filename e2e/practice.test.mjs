// A practice session in a real browser, answered with the keyboard, checked against the bank.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

test('a practice session shows feedback on every answer and saves each one', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url + 'practice/?scope=all&size=4');
    await appReady(page);
    assert.equal(await page.isVisible('#app-status'), false, 'the loading status stays up');
    let right = 0;
    for (let i = 0; i < 4; i++) {
      assert.equal((await page.textContent('[data-role=counter]')).trim(), `Question ${i + 1} of 4`);
      const q = await shown(page, bank, '#practice-session');
      const wantRight = i % 2 === 0;
      await answerByKeyboard(page, q, wantRight, '#practice-session');
      await tabTo(page, '[data-role=check]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.feedback .verdict');
      const verdict = (await page.textContent('.feedback .verdict')).trim();
      assert.equal(verdict, wantRight ? '✓ Correct' : '✗ Not correct', `question ${q.id} (${q.type})`);
      if (wantRight) right++;
      assert.equal((await page.textContent('.feedback [data-role=explanation]')).trim(), q.explanation.trim());
      const study = await page.getAttribute('.feedback [data-role=study]', 'href');
      assert.match(study, new RegExp(`#task-${q.task.replaceAll('.', '-')}$`));
      if (!wantRight && q.type === 'single') {
        assert.ok((await page.textContent('.feedback')).includes('Why not:'), 'no rationale for the wrong option');
      }
      // Focus is on the feedback; Enter moves on.
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('#practice-done:not([hidden])');
    assert.match(await page.textContent('#practice-done [data-role=summary]'), new RegExp(`You answered ${right} of 4 right`));
    // Every answer reached IndexedDB: a fresh load of the settings page counts them.
    await page.goto(server.url + 'settings/');
    await appReady(page);
    assert.match(await page.textContent('[data-role=device]'), /Answers since the last reset\s*4/);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test('a study link starts practice of its sub-domain; one answer shows as too few to tell on the study page and the dashboard', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await page.goto(server.url + 'domain-3/3-1/');
    assert.equal(await page.locator('.mastery:visible').count(), 0, 'mastery shown before any practice');
    await page.click('text=Practice this sub-domain');
    await appReady(page);
    const q = await shown(page, bank, '#practice-session');
    assert.ok(q.task.startsWith('3.1.'), `a 3.1 session asked about ${q.task}`);
    await answerByKeyboard(page, q, true, '#practice-session');
    await tabTo(page, '[data-role=check]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.feedback');
    await page.goto(server.url + 'domain-3/3-1/');
    const badge = page.locator(`[data-mastery="${q.task}"]`);
    await badge.waitFor({ state: 'visible' });
    // One answer is too little to tell: the badge says so instead of showing a figure.
    assert.equal((await badge.textContent()).trim(), '1 answer: too few to tell');
    assert.match(await badge.getAttribute('class'), /\buncertain\b/);
    // The dashboard agrees: the task's square is uncertain, not the top band, and says what it
    // rests on; readiness names what it still needs.
    await page.goto(server.url + 'dashboard/');
    await appReady(page);
    const cell = page.locator(`.heat-cells a[href$="#task-${q.task.replaceAll('.', '-')}"]`);
    const cls = await cell.getAttribute('class');
    assert.match(cls, /\buncertain\b/);
    assert.doesNotMatch(cls, /\bm[1-4]\b/);
    const label = await cell.getAttribute('aria-label');
    assert.match(label, /1 answer: too few to tell/);
    assert.doesNotMatch(label, /mastery \d+%/);
    const domain = q.task.split('.')[0];
    assert.match(await page.textContent('[data-role=domains]'), /1 answer: too few to tell/);
    assert.doesNotMatch(await page.textContent('#dashboard'), /\b1 answers\b/);
    assert.match(await page.textContent('[data-role=shortfall]'), new RegExp(`3 in domain ${domain}\\b`));
  } finally {
    await b.close();
  }
});
