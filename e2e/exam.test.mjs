// The mock exam: a reload in the middle resumes the same items, answers, flags and time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { shown, answerByKeyboard } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

const stem = async (page) => (await page.textContent('#exam-run [data-role=stem]')).trim();
const clockSeconds = async (page) => {
  const [h, m, s] = (await page.textContent('[data-role=clock]')).trim().split(':').map(Number);
  return h * 3600 + m * 60 + s;
};
const navState = (page) => page.$$eval('#exam-nav button', (bs) => bs.map((b) => `${b.classList.contains('answered') ? 'A' : '-'}${b.classList.contains('flagged') ? 'F' : '-'}`).join(''));

test('a mock exam resumes after a reload exactly as it was, and scores on submit', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await page.goto(server.url + 'mock-exam/');
    await appReady(page);
    await page.click('#exam-start [data-role=start]');
    await page.waitForSelector('#exam-run:not([hidden])');
    assert.equal((await page.textContent('[data-role=counter]')).trim(), 'Item 1 of 125');
    assert.ok(await clockSeconds(page) > 179 * 60, 'the clock starts at three hours');
    const stems = [];
    for (let i = 0; i < 6; i++) {
      stems.push(await stem(page));
      await answerByKeyboard(page, await shown(page, bank, '#exam-run'), true, '#exam-run');
      if (i === 2) await page.click('[data-role=flag]');
      await page.click('#exam-run [data-role=next]');
      await page.waitForFunction((n) => document.querySelector('[data-role=counter]').textContent.trim() === `Item ${n} of 125`, i + 2);
    }
    await page.click('[data-role=nav-toggle]');
    const before = { nav: await navState(page), stem: await stem(page), clock: await clockSeconds(page) };
    assert.equal(before.nav.slice(0, 14), 'A-A-AFA-A-A---', 'answered and flagged items in the navigator');

    await page.reload();
    await appReady(page);
    await page.click('#exam-start [data-role=resume]');
    await page.waitForSelector('#exam-run:not([hidden])');
    assert.equal((await page.textContent('[data-role=counter]')).trim(), 'Item 7 of 125', 'resumes on the item it was on');
    assert.equal(await stem(page), before.stem, 'the same item');
    await page.click('[data-role=nav-toggle]');
    assert.equal(await navState(page), before.nav, 'the same answers and flags');
    const after = await clockSeconds(page);
    assert.ok(after <= before.clock && before.clock - after < 30, `the clock went from ${before.clock} to ${after}`);
    // The same items in the same order, with the answers still selected.
    await page.click('#exam-nav li:nth-child(1) button');
    await page.waitForFunction(() => document.querySelector('[data-role=counter]').textContent.trim() === 'Item 1 of 125');
    assert.equal(await stem(page), stems[0]);
    const q1 = await shown(page, bank, '#exam-run');
    if (q1.type === 'single') {
      const checked = await page.$eval('#exam-run .choice input:checked + [data-role=letter] + [data-role=text]', (e) => e.textContent);
      assert.equal(checked, q1.choices[q1.key[0]].text, 'the answer given before the reload is still selected');
    }

    await page.click('#exam-run [data-role=review]');
    await page.waitForSelector('#exam-review:not([hidden])');
    assert.match(await page.textContent('[data-role=review-summary]'), /6 of 125 answered, 119 not answered, 1 flagged/);
    await page.click('#exam-review [data-role=submit]');
    await page.click('#exam-confirm button[value=submit]');
    await page.waitForSelector('#exam-results:not([hidden])');
    assert.match(await page.textContent('#exam-results [data-role=head]'), /6 of 125 items right/);
    assert.match(await page.textContent('#exam-results'), /estimate/i);
    assert.equal(await page.locator('#exam-results [data-role=items] > li').count(), 125);
    assert.equal(await page.locator('#exam-results [data-role=domains] .bar-row').count(), 6);
  } finally {
    await b.close();
  }
});
