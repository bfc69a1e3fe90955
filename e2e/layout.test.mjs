// No page scrolls sideways on a phone (320 and 390 px wide) or with the text at 200% (390 px wide):
// every page of the built site, and the app's states (a practice question of each item type and its
// feedback, the mock exam running with the navigator open, its review and results, the dashboard
// and the settings with data). On a failure the message names the elements that stick out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, publicDir, appReady } from './server.mjs';
import { answerByKeyboard } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

// Every page the build wrote: each index.html as its folder's URL, and the 404 page.
function pages(dir = publicDir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...pages(p));
    else if (name === 'index.html') out.push('/' + relative(publicDir, dir).split(sep).filter(Boolean).map((s) => s + '/').join(''));
  }
  return out;
}

// Two ways a phone gets narrow: a small screen, and large text on an ordinary one. The stylesheet
// sizes text in rem, so a root font-size of 200% is what a 200% text setting does.
// (Set through the CSSOM: the site's Content-Security-Policy refuses a style element.)
const setups = [
  { name: '320 px', viewport: { width: 320, height: 640 }, fontSize: '' },
  { name: '390 px', viewport: { width: 390, height: 844 }, fontSize: '' },
  { name: '200% text', viewport: { width: 390, height: 844 }, fontSize: '200%' },
];

// overflow returns '' when the page fits its width, or a description of the elements past its right edge.
async function overflow(page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width && window.innerWidth <= width + 1) return '';
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 0.5) continue;
      // Report the outermost elements that stick out, not each of their children.
      if (out.some((o) => o.el.contains(el))) continue;
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map((c) => '.' + c).join('') +
        (el.dataset.role ? `[data-role=${el.dataset.role}]` : '');
      out.push({ el, text: `${name} right=${Math.round(r.right)}` });
    }
    // Text can stick out of a box that fits (a long word or address): name the box and the text.
    if (out.length === 0) {
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let n = walk.nextNode(); n && out.length < 8; n = walk.nextNode()) {
        range.selectNodeContents(n);
        const r = range.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 0.5) continue;
        const el = n.parentElement;
        const name = el.tagName.toLowerCase() + [...el.classList].map((c) => '.' + c).join('');
        out.push({ el, text: `text in ${name} "${n.textContent.trim().slice(0, 40)}" right=${Math.round(r.right)}` });
      }
    }
    return `scrollWidth ${root.scrollWidth} > ${width}: ` + out.slice(0, 8).map((o) => o.text).join(', ');
  });
}

// spills lists text that runs out of its box without making the page wider (a long value past
// the edge of its card): text nodes reaching past the right edge of their nearest block.
async function spills(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walk.nextNode(); n && out.length < 8; n = walk.nextNode()) {
      if (!n.textContent.trim()) continue;
      let box = n.parentElement;
      while (box && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
      if (!box || box.closest('svg') || getComputedStyle(box).overflowX !== 'visible') continue;
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      if (r.width === 0 || b.width === 0 || r.right <= b.right + 1) continue;
      const name = box.tagName.toLowerCase() + [...box.classList].map((c) => '.' + c).join('');
      out.push(`"${n.textContent.trim().slice(0, 30)}" past ${name} by ${Math.round(r.right - b.right)}px`);
    }
    return out.join(', ');
  });
}

// One question of each item type (and a case and a figure), the longest of each to be strict.
function sampleQuestions() {
  const byKind = new Map();
  const size = (q) => JSON.stringify(q).length;
  for (const q of bank.questions) {
    const kind = q.type + (q.grid ? ' grid' : '') + (q.scenario ? ' case' : '') + (q.figure ? ' figure' : '');
    if (!byKind.has(kind) || size(q) > size(byKind.get(kind))) byKind.set(kind, q);
  }
  return [...byKind.entries()];
}

for (const setup of setups) {
  test(`no page scrolls sideways at ${setup.name}`, async () => {
    // Reduced motion turns off smooth scrolling, which would move the page under a click.
    const b = await launchProfile({ viewport: setup.viewport, hasTouch: true, isMobile: true, reducedMotion: 'reduce' });
    const failures = [];
    try {
      const page = await b.context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const check = async (what) => {
        if (setup.fontSize) await page.evaluate((f) => document.documentElement.style.setProperty('font-size', f, 'important'), setup.fontSize);
        // Let a resize settle (the style tag above, a panel just opened).
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const o = await overflow(page);
        if (o) failures.push(`${what}: ${o}`);
        const sp = await spills(page);
        if (sp) failures.push(`${what}: content out of its box: ${sp}`);
      };
      const open = async (path, app = false) => {
        await page.goto(server.url + path.replace(/^\//, ''));
        if (app) await appReady(page);
      };

      // Every static page, and the app pages as they first load.
      const apps = new Set(['/practice/', '/mock-exam/', '/dashboard/', '/settings/']);
      const all = pages();
      assert.ok(all.length > 30, `only ${all.length} pages found in ${publicDir}`);
      for (const p of all) {
        await open(p, apps.has(p));
        await check(p);
      }
      await open('/404.html');
      await check('/404.html');

      // A practice question of each type, then its feedback after a wrong answer (the longest).
      const sample = sampleQuestions();
      await open(`/practice/?scope=questions:${sample.map(([, q]) => q.id).join(',')}&size=${sample.length}`, true);
      for (const [kind, q] of sample) {
        await page.waitForSelector('#practice-session:not([hidden]) [data-role=stem]');
        await check(`practice question ${q.id} (${kind})`);
        await answerByKeyboard(page, q, false, '#practice-session');
        await page.click('#practice-session [data-role=check]');
        await page.waitForSelector('.feedback .verdict', { timeout: 5000 }).catch(async (e) => {
          await page.screenshot({ path: '/tmp/layout-fail.png' });
          throw new Error(`${setup.name} ${q.id} (${kind}): no feedback after Check: ${e.message}`);
        });
        await check(`practice feedback ${q.id} (${kind})`);
        await page.click('#practice-session [data-role=next]');
      }
      await page.waitForSelector('#practice-done:not([hidden])');
      await check('practice done');

      // The mock exam: start, an item with the navigator open, the review, the confirmation, the results.
      await open('/mock-exam/', true);
      await page.click('#exam-start [data-role=start]');
      await page.waitForSelector('#exam-run:not([hidden])');
      await page.click('#exam-run [data-role=flag]');
      await page.click('#exam-run [data-role=nav-toggle]');
      await check('mock exam item with the navigator open');
      await page.click('#exam-run [data-role=review]');
      await page.waitForSelector('#exam-review:not([hidden])');
      await check('mock exam review');
      await page.click('#exam-review [data-role=submit]');
      await page.waitForSelector('#exam-confirm[open]');
      await check('mock exam confirmation');
      await page.click('#exam-confirm button[value=submit]');
      await page.waitForSelector('#exam-results:not([hidden])');
      await check('mock exam results');
      await open('/mock-exam/', true);
      await check('mock exam start with a history');

      // The dashboard and the settings once there is progress, and with sync on.
      await open('/dashboard/', true);
      await check('dashboard with progress');
      await open('/settings/', true);
      await check('settings with progress');
      await page.click('[data-role=sync-create]');
      await page.waitForSelector('[data-role=sync-on]:not([hidden]) [data-role=sync-code]:not(:empty)', { timeout: 15000 });
      await check('settings with sync on');
      await page.click('[data-role=reset]');
      await page.waitForSelector('#reset-dialog[open]');
      await check('settings reset dialog');
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
    assert.deepEqual(failures, [], `pages that scroll sideways at ${setup.name}:\n` + failures.join('\n'));
  });
}

// On a phone the buttons a candidate needs next stay on screen: Check answer over a long question,
// Next question while the feedback is read, Previous/Next/Review and the clock and Flag during a
// mock exam; and nothing the candidate works with is left under the bars.
test('on a phone the next step stays on screen, and the bars cover nothing in use', async () => {
  const b = await launchProfile({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, reducedMotion: 'reduce' });
  try {
    const page = await b.context.newPage();
    const onScreen = (sel) => page.$eval(sel, (el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });
    // The element's box is clear of a bar: the bar is not what is drawn at its corners.
    const clear = (sel, bar) => page.$eval(sel, (el, bar) => {
      const r = el.getBoundingClientRect();
      const b = document.querySelector(bar).getBoundingClientRect();
      return r.bottom <= b.top + 1 || r.top >= b.bottom - 1;
    }, bar);
    // The longest question of the bank, answered with taps (a bar must not catch them).
    const long = bank.questions.filter((q) => q.type === 'single').sort((a, c) => JSON.stringify(c).length - JSON.stringify(a).length)[0];
    await page.goto(server.url + `practice/?scope=questions:${long.id}&size=1`);
    await appReady(page);
    await page.waitForSelector('#practice-session:not([hidden])');
    assert.equal(await page.isVisible('.kbd-hint'), false, 'the key hint shows on a touch screen');
    assert.ok(await onScreen('[data-role=check]'), 'Check answer is off screen');
    const texts = await page.$$eval('#practice-session .choice [data-role=text]', (els) => els.map((e) => e.textContent));
    const wrong = texts.findIndex((t) => t !== long.choices[long.key[0]].text);
    await page.locator('#practice-session .choice').nth(wrong).tap();
    assert.equal(await page.locator('#practice-session .choice input:checked').count(), 1, 'a tap did not choose');
    await page.locator('[data-role=check]').tap();
    await page.waitForSelector('.feedback .verdict');
    assert.ok(await page.evaluate(() => document.activeElement.matches('.feedback')), 'focus is not on the feedback');
    assert.ok(await onScreen('[data-role=next]'), 'Next question is off screen after Check');
    // Reading to the end of the feedback, Next stays put and the study link is clear of it.
    await page.locator('.feedback [data-role=study]').scrollIntoViewIfNeeded();
    assert.ok(await onScreen('[data-role=next]'), 'Next question is off screen at the end of the feedback');
    assert.ok(await clear('.feedback [data-role=study]', '#practice-session > .actions'), 'the bar covers the study link');
    await page.evaluate(() => window.scrollTo(0, 0));
    assert.ok(await onScreen('[data-role=next]'), 'Next question is off screen at the top of the page');

    await page.goto(server.url + 'mock-exam/');
    await appReady(page);
    await page.locator('#exam-start [data-role=start]').tap();
    await page.waitForSelector('#exam-run:not([hidden])');
    for (const sel of ['#exam-run [data-role=next]', '#exam-run [data-role=prev]', '#exam-run [data-role=review]']) {
      assert.ok(await onScreen(sel), `${sel} is off screen`);
      const h = await page.$eval(sel, (el) => el.getBoundingClientRect().height);
      assert.ok(h >= 44, `${sel} is ${h} px high`);
    }
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    for (const sel of ['[data-role=clock]', '[data-role=flag]', '#exam-run [data-role=next]']) assert.ok(await onScreen(sel), `${sel} is off screen half way down`);
    // The last item of the navigator, brought into view by focus, is clear of both bars.
    await page.locator('[data-role=nav-toggle]').tap();
    await page.focus('#exam-nav li:last-child button');
    assert.ok(await onScreen('#exam-nav li:last-child button'), 'the focused navigator button is off screen');
    assert.ok(await clear('#exam-nav li:last-child button', '#exam-run > .exam-actions'), 'the bottom bar covers the focused button');
    assert.ok(await clear('#exam-nav li:last-child button', '.exam-bar'), 'the top bar covers the focused button');
    await page.locator('#exam-nav li:last-child button').tap();
    await page.waitForFunction(() => document.querySelector('[data-role=counter]').textContent.trim() === 'Item 125 of 125');
  } finally {
    await b.close();
  }
});
