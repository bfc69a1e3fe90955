// Practice and the mock exam on a phone (390 by 844, touch): a double tap on Next, Check or a
// navigator number never changes an answer or moves twice; after a move the item's first line is
// in view; the navigator opens in view; the score is in view after submit; a practice session
// survives a reload where it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { shown, answerByKeyboard } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

// doubleTap taps twice at the centre of what selector finds now, as a thumb does: the second tap
// lands on whatever the first one drew there.
async function doubleTap(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await stableBox(page, selector);
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.touchscreen.tap(x, y);
  await page.touchscreen.tap(x, y);
  await page.waitForTimeout(600); // what the second tap would have done, done; and a next tap is deliberate
}

// stableBox waits until what selector finds stops moving, and returns where it is: a thumb taps
// what it sees, while a box read during a smooth scroll (focusing a control scrolls the page, and
// the foot bar is sticky) is where the element was, and a tap there misses it.
async function stableBox(page, selector) {
  let last = null;
  for (let i = 0; i < 50; i++) {
    const box = await page.locator(selector).boundingBox();
    if (last && box && Math.abs(box.x - last.x) < 0.5 && Math.abs(box.y - last.y) < 0.5) return box;
    last = box;
    await page.waitForTimeout(50);
  }
  throw new Error(`${selector} never stopped moving`);
}

// inView reports whether the element's top comes onto the screen (the page may scroll smoothly).
async function inView(page, selector) {
  try {
    await page.waitForFunction((sel) => {
      const top = document.querySelector(sel).getBoundingClientRect().top;
      return top > -2 && top < window.innerHeight; // sub-pixel scrolling leaves a fraction above
    }, selector, { timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

const checked = (page, scope) => page.locator(`${scope} [data-role=question] input:checked`).count();
const text = async (page, selector) => (await page.textContent(selector)).trim();
const toBottom = (page) => page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));

// The practice test runs as the phone comes: 390 by 844, 320 wide, and 390 with text at 200% (the
// stylesheet sizes text in rem; set through the CSSOM, which the site's CSP allows).
const setups = [
  { name: 'at 390 by 844', options: phone },
  { name: 'at 320 px', options: { ...phone, viewport: { width: 320, height: 640 } } },
  { name: 'at 200% text', options: phone, fontSize: '200%' },
];

// openPage opens a page as the setup has it: text at 200% is set on every load, reloads included.
async function openPage(b, setup) {
  const page = await b.context.newPage();
  if (setup.fontSize) {
    await page.addInitScript((size) => {
      document.addEventListener('DOMContentLoaded', () => document.documentElement.style.setProperty('font-size', size));
    }, setup.fontSize);
  }
  return page;
}

for (const setup of setups) test(`practice on a phone ${setup.name}: double taps never answer or skip, the question starts in view, a reload goes on where it was`, async () => {
  const b = await launchProfile(setup.options);
  try {
    const page = await openPage(b, setup);
    await page.goto(server.url + 'practice/?scope=all&size=4');
    await appReady(page);
    for (let i = 0; i < 2; i++) {
      assert.equal(await text(page, '#practice-session [data-role=counter]'), `Question ${i + 1} of 4`);
      await answerByKeyboard(page, await shown(page, bank, '#practice-session'), true, '#practice-session');
      await doubleTap(page, '#practice-session [data-role=check]');
      await page.waitForSelector('#practice-session .feedback');
      assert.equal(await text(page, '#practice-session [data-role=counter]'), `Question ${i + 1} of 4`, 'a double tap on Check does not also tap Next');
      await toBottom(page);
      await doubleTap(page, '#practice-session [data-role=next]');
      assert.equal(await text(page, '#practice-session [data-role=counter]'), `Question ${i + 2} of 4`, 'a double tap on Next moves once');
      assert.equal(await checked(page, '#practice-session'), 0, 'the second tap chose nothing on the new question');
      assert.ok(await inView(page, '#practice-session [data-role=question]'), "the new question's first line is in view");
    }
    await page.reload();
    await appReady(page);
    assert.equal(await text(page, '#practice-session [data-role=counter]'), 'Question 3 of 4', 'a reload goes on where the session was');
    assert.equal(await text(page, '#practice-session [data-role=score]'), '2 right so far');
  } finally {
    await b.close();
  }
});

test('the mock exam on a phone: double taps never answer or skip, items and the navigator open in view, the score shows after submit', async () => {
  const b = await launchProfile(phone);
  try {
    const page = await b.context.newPage();
    await page.goto(server.url + 'mock-exam/');
    await appReady(page);
    await page.tap('#exam-start [data-role=start]');
    await page.waitForSelector('#exam-run:not([hidden])');
    for (let i = 1; i <= 3; i++) {
      await toBottom(page);
      await doubleTap(page, '#exam-run [data-role=next]');
      assert.equal(await text(page, '#exam-run [data-role=counter]'), `Item ${i + 1} of 125`, 'a double tap on Next moves once');
      assert.equal(await checked(page, '#exam-run'), 0, 'the second tap answered nothing');
      assert.ok(await inView(page, '#exam-run [data-role=counter]'), "the item's first line is in view");
    }
    await toBottom(page);
    await page.tap('#exam-run [data-role=prev]');
    assert.equal(await text(page, '#exam-run [data-role=counter]'), 'Item 3 of 125');
    assert.ok(await inView(page, '#exam-run [data-role=counter]'), "after Previous the item's first line is in view");
    await page.waitForTimeout(500);
    await toBottom(page);
    await page.tap('#exam-run [data-role=nav-toggle]');
    assert.ok(await inView(page, '#exam-nav'), 'the navigator opens in view');
    await doubleTap(page, '#exam-nav li:nth-child(9) button');
    assert.equal(await text(page, '#exam-run [data-role=counter]'), 'Item 9 of 125');
    assert.equal(await page.locator('#exam-nav').isHidden(), true, 'picking a number closes the navigator');
    assert.equal(await checked(page, '#exam-run'), 0, 'the second tap on a number answered nothing');
    assert.ok(await inView(page, '#exam-run [data-role=counter]'));
    assert.match(await page.$eval('#exam-nav', (n) => [...n.querySelectorAll('button.answered')].length + ' answered'), /^0 answered$/);

    await toBottom(page);
    await page.tap('#exam-run [data-role=review]');
    await page.waitForSelector('#exam-review:not([hidden])');
    await page.waitForTimeout(500); // a second tap at once on the same spot would be a double tap's, and held back
    await page.tap('#exam-review [data-role=submit]');
    await page.tap('#exam-confirm button[value=submit]');
    await page.waitForSelector('#exam-results:not([hidden])');
    assert.ok(await inView(page, '#exam-results .scaled'), 'the score is in view after submit');
  } finally {
    await b.close();
  }
});

test('on a phone the menu leaves the first screen to the page at 320 px and at 200% text, and an ordering item\'s announcements leave the question counter alone', async () => {
  for (const setup of setups.slice(1)) {
    const b = await launchProfile(setup.options);
    try {
      const page = await openPage(b, setup);
      await page.goto(server.url);
      const header = await page.$eval('header', (h) => h.getBoundingClientRect().height / window.innerHeight);
      assert.ok(header < 0.3, `${setup.name}: the header takes ${Math.round(100 * header)}% of the first screen`);

      const order = bank.questions.find((q) => q.type === 'order');
      await page.goto(server.url + `practice/?scope=questions:${order.id}&size=1`);
      await appReady(page);
      assert.equal(await page.locator('#practice-session .kbd-hint').isVisible(), false, `${setup.name}: no keyboard hint on a touch screen`);
      const before = await text(page, '#practice-session [data-role=counter]');
      await page.tap('#practice-session .order-item:nth-child(2) button:first-of-type');
      await page.waitForTimeout(200);
      assert.equal(await text(page, '#practice-session [data-role=counter]'), before, 'the counter still counts questions');
      assert.match(await page.textContent('#practice-session [aria-live=polite]:not([data-role=counter])'), /./, 'the move was announced');
    } finally {
      await b.close();
    }
  }
});
