// Every item type answered with the keyboard alone: Tab, arrows, Alt+arrows, Space, Enter, digits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { answerByKeyboard, tabTo, shown } from './answer.mjs';

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

// focusVisible says whether the focused element shows a focus indicator a sighted keyboard user
// can see: an outline, or a box shadow.
async function focusVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing focused';
    // Headings and feedback that the app focuses for screen readers are not tab stops.
    if (el.getAttribute('tabindex') === '-1') return 'nothing focused';
    const ring = (e) => {
      if (!e) return false;
      const s = getComputedStyle(e);
      return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
    };
    // A radio or checkbox shows its focus on the option around it.
    return ring(el) || ring(el.closest('.choice, label')) ? '' : `${el.tagName}.${el.className} has no visible focus`;
  });
}

// press presses a key and checks that wherever focus lands, it can be seen.
async function press(page, key) {
  await page.keyboard.press(key);
  const problem = await focusVisible(page);
  if (problem !== 'nothing focused') assert.equal(problem, '', `after ${key}`);
}

async function tabUntil(page, selector) {
  for (let i = 0; i < 300; i++) {
    if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
    await press(page, 'Tab');
  }
  throw new Error('Tab never reached ' + selector);
}

test('a keyboard-only walk through practice and a mock exam, with visible focus at every step', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    // Practice: choose "Not seen yet" with the arrow keys, ten questions, start with Enter.
    await page.goto(server.url + 'practice/');
    await appReady(page);
    await tabUntil(page, 'input[name=mode]:checked');
    await press(page, 'ArrowUp'); // from "By topic" to "Not seen yet"
    assert.equal(await page.$eval('input[name=mode]:checked', (e) => e.value), 'new');
    await tabUntil(page, '#size');
    await press(page, 'ArrowUp'); // 20 to 10
    await tabUntil(page, '[data-role=start]');
    // Start submits the form by GET, a real navigation, so the scope lives in the URL: wait for
    // the new page rather than inspecting focus on the one being left.
    await Promise.all([page.waitForURL(/[?&]mode=new(&|$)/), page.keyboard.press('Enter')]);
    assert.match(page.url(), /[?&]size=10(&|$)/, 'the arrow key chose 10 questions');
    await appReady(page);
    await page.waitForSelector('#practice-session:not([hidden])');
    for (let i = 0; i < 3; i++) {
      const q = await shown(page, bank, '#practice-session');
      await answerByKeyboard(page, q, i !== 1, '#practice-session');
      await tabUntil(page, '[data-role=check]');
      await press(page, 'Enter');
      await page.waitForSelector('.feedback .verdict');
      // The feedback is reachable by keyboard: the link to the task's study section among it.
      assert.ok(await page.locator('.feedback a[href*="#task-"]').count() > 0, 'feedback links to the study section');
      await press(page, 'Enter');
    }

    // The mock exam: start with Enter, answer with digits, move on with Enter, flag with Space.
    await page.goto(server.url + 'mock-exam/');
    await appReady(page);
    await tabUntil(page, '#exam-start [data-role=start]');
    await press(page, 'Enter');
    await page.waitForSelector('#exam-run:not([hidden])');
    for (let i = 0; i < 3; i++) {
      const q = await shown(page, bank, '#exam-run');
      await answerByKeyboard(page, q, true, '#exam-run');
      if (i === 1) {
        await tabUntil(page, '[data-role=flag]');
        await press(page, 'Space');
        await page.waitForSelector('[data-role=flag][aria-pressed=true]', { timeout: 5000 });
      }
      await tabUntil(page, '#exam-run [data-role=next]');
      await press(page, 'Enter');
      await page.waitForFunction((n) => document.querySelector('[data-role=counter]').textContent.trim() === `Item ${n} of 125`, i + 2);
    }
    // The navigator opens by keyboard and jumps to item 2.
    await tabUntil(page, '[data-role=nav-toggle]');
    await press(page, 'Enter');
    await tabUntil(page, '#exam-nav li:nth-child(2) button');
    assert.match(await page.getAttribute('#exam-nav li:nth-child(2) button', 'aria-label'), /flagged/);
    await press(page, 'Enter');
    await page.waitForFunction(() => document.querySelector('[data-role=counter]').textContent.trim() === 'Item 2 of 125');
    // Review, submit, confirm: all by keyboard.
    await tabUntil(page, '#exam-run [data-role=review]');
    await press(page, 'Enter');
    await page.waitForSelector('#exam-review:not([hidden])');
    assert.match(await page.textContent('[data-role=review-summary]'), /3 of 125 answered/);
    await tabUntil(page, '#exam-review [data-role=submit]');
    await press(page, 'Enter');
    await page.waitForSelector('#exam-confirm[open]');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'cancel', 'the dialog opens on the safe choice');
    await tabUntil(page, '#exam-confirm button[value=submit]');
    await press(page, 'Enter');
    await page.waitForSelector('#exam-results:not([hidden])');
    assert.match(await page.textContent('#exam-results [data-role=head]'), /of 125 items right/);
  } finally {
    await b.close();
  }
});
