// Accessibility: axe-core on every kind of page, with the app in each state a candidate meets
// (an item of every type on screen, a running mock exam, its results, the dashboard with progress,
// settings with sync on). No serious or critical violation may remain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launchProfile } from '../e2e/browser.mjs';
import { startServer, publishedBank, appReady } from '../e2e/server.mjs';
import { shown, answerByKeyboard, tabTo } from '../e2e/answer.mjs';
import { record } from './report.mjs';

let server, bank, browser, page;
const found = {};
before(async () => {
  server = await startServer();
  bank = publishedBank();
  browser = await launchProfile();
  page = await browser.context.newPage();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  record('axe', found);
});

async function check(name) {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  found[name] = { violations: res.violations.length, serious_or_critical: bad.length, passes: res.passes.length };
  assert.deepEqual(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), [], `${name}: serious or critical violations`);
}

for (const [name, path] of [['home', ''], ['domain page', 'domain-3/'], ['sub-domain page', 'domain-3/3-1/'], ['glossary', 'glossary/'], ['corrections', 'corrections/'], ['exam facts', 'exam/'], ['404', 'no-such-page/']]) {
  test(`axe: ${name}`, async () => {
    await page.goto(server.url + path);
    await check(name);
  });
}

const kinds = [
  ['single', (q) => q.type === 'single' && !q.scenario],
  ['multi', (q) => q.type === 'multi'],
  ['order', (q) => q.type === 'order'],
  ['match', (q) => q.type === 'match'],
  ['hotspot grid', (q) => q.type === 'hotspot' && q.grid],
  ['hotspot regions', (q) => q.type === 'hotspot' && !q.grid],
  ['scenario', (q) => !!q.scenario],
];

test('axe: practice, with an item of every type and its feedback', async () => {
  const picked = kinds.map(([n, pred]) => [n, bank.questions.find((q) => !q.retired && pred(q))]);
  await page.goto(server.url + 'practice/');
  await appReady(page);
  await check('practice setup');
  await page.goto(server.url + 'practice/?scope=questions:' + picked.map(([, q]) => q.id).join(',') + '&size=' + picked.length);
  await appReady(page);
  for (const [n, q] of picked) {
    await page.waitForSelector('#practice-session [data-role=answer]');
    await check(`practice: ${n}`);
    await answerByKeyboard(page, q, false, '#practice-session');
    await tabTo(page, '[data-role=check]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.feedback .verdict');
    await check(`practice feedback: ${n}`);
    await page.keyboard.press('Enter');
  }
});

test('axe: mock exam, its review screen and its results', async () => {
  await page.goto(server.url + 'mock-exam/');
  await appReady(page);
  await check('mock exam start');
  await page.click('#exam-start [data-role=start]');
  await page.waitForSelector('#exam-run:not([hidden])');
  await answerByKeyboard(page, await shown(page, bank, '#exam-run'), true, '#exam-run');
  await page.click('[data-role=nav-toggle]');
  // The navigator scrolls into view as it opens: measure its targets once they stop moving
  // (read mid-scroll, a row of items once seemed to overlap).
  await page.waitForFunction(() => new Promise((done) => {
    const at = () => JSON.stringify([...document.querySelectorAll('#exam-nav button')].slice(0, 20).map((b) => b.getBoundingClientRect().top));
    const first = at();
    requestAnimationFrame(() => requestAnimationFrame(() => done(at() === first)));
  }), null, { polling: 100, timeout: 10000 });
  await check('mock exam running, navigator open');
  await page.click('#exam-run [data-role=review]');
  await page.waitForSelector('#exam-review:not([hidden])');
  await check('mock exam review');
  await page.click('#exam-review [data-role=submit]');
  await page.click('#exam-confirm button[value=submit]');
  await page.waitForSelector('#exam-results:not([hidden])');
  await check('mock exam results');
});

test('axe: dashboard and settings with sync on', async () => {
  await page.goto(server.url + 'dashboard/');
  await appReady(page);
  await check('dashboard');
  await page.goto(server.url + 'settings/');
  await appReady(page);
  await page.click('[data-role=sync-create]');
  await page.waitForSelector('[data-role=sync-qr] svg');
  await check('settings');
});
