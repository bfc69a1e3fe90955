// Steps a candidate takes, written once against the Session contract (session.mjs), so that the
// same test runs in Chromium, Firefox and WebKit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicDir } from '../server.mjs';

// ready waits until the app page's engine runs (or the page says why it cannot).
export async function ready(s) {
  const state = await s.waitFor(() => document.body.dataset.ready === '1' ? 'ready' : (document.querySelector('#app-status.error') ? 'error: ' + document.querySelector('#app-status').textContent : ''), [], { timeout: 45000, message: 'the engine to start' });
  assert.equal(state, 'ready', `${s.engine}: the app did not start: ${state}`);
}

export async function open(s, url) {
  await s.goto(url);
  if (await s.evaluate(() => !!document.getElementById('app-status'))) await ready(s);
}

// The page marks the element(s) to act on with data-e2e, so that the driver acts on them by a
// plain selector.
// mark is run in the page: it marks the elements that give the answer to q (right or wrong) and
// says what to do with them. Order items move one step per call.
function mark(q, scope, right) {
  document.querySelectorAll('[data-e2e]').forEach((e) => e.removeAttribute('data-e2e'));
  const root = document.querySelector(scope);
  const texts = (sel) => [...root.querySelectorAll(sel)].map((e) => e.textContent.trim());
  const choices = [...root.querySelectorAll('.choice')];
  if (q.type === 'hotspot' && q.grid) {
    let [row, col] = q.key;
    if (!right) col = (col + 1) % q.grid.cols.length;
    const cell = [...root.querySelectorAll('.hotspot-grid .cell')].find((b) => b.closest('tr').rowIndex - 2 === row && b.closest('td').cellIndex - 1 === col);
    cell.setAttribute('data-e2e', 'cell');
    return { clicks: ['[data-e2e="cell"]'] };
  }
  if (q.type === 'single' || q.type === 'hotspot' || q.type === 'multi') {
    const shown = texts('.choice [data-role=text]');
    let keys = q.key.map((k) => shown.indexOf(q.choices[k].text));
    if (!right) keys = q.type === 'multi' ? keys.slice(0, 1) : [(keys[0] + 1) % shown.length];
    return { clicks: keys.map((i) => { choices[i].setAttribute('data-e2e', `choice-${i}`); return `[data-e2e="choice-${i}"]`; }) };
  }
  if (q.type === 'order') {
    const want = q.choices.map((c) => c.text);
    if (!right) [want[0], want[1]] = [want[1], want[0]];
    const items = [...root.querySelectorAll('.order-item')];
    const shown = items.map((li) => li.querySelector('[data-role=text]').textContent.trim());
    const at = shown.findIndex((t, i) => t !== want[i]);
    if (at < 0) return { done: true };
    items[shown.indexOf(want[at])].querySelector('[data-role=up]').setAttribute('data-e2e', 'up');
    return { step: '[data-e2e="up"]' };
  }
  if (q.type === 'match') {
    const rows = [...root.querySelectorAll('.match-row')];
    const wants = rows.map((r) => q.pairs.find((p) => p.item === r.querySelector('.match-item').textContent.trim()).match);
    if (!right) [wants[0], wants[1]] = [wants[1], wants[0]];
    rows.forEach((r, i) => {
      const sel = r.querySelector('select');
      sel.value = [...sel.options].find((o) => o.text === wants[i]).value;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    return { done: true };
  }
  throw new Error('unknown type ' + q.type);
}

// shownQuestion finds the question on screen in the published bank (by stem, and case text for
// scenario sets, whose short stems repeat).
export async function shownQuestion(s, bank, scope) {
  const { stem, caseText } = await s.evaluate((sc) => {
    const c = document.querySelector(`${sc} [data-role=case-text]`);
    return { stem: document.querySelector(`${sc} [data-role=stem]`).textContent.trim(), caseText: c && c.offsetParent ? c.textContent.trim() : '' };
  }, scope);
  const all = bank.questions.filter((x) => x.stem === stem);
  const q = all.length > 1 ? all.find((x) => bank.scenarios.find((sc) => sc.id === x.scenario)?.case === caseText) : all[0];
  assert.ok(q, `${s.engine}: no question with stem ${stem.slice(0, 60)}`);
  return q;
}

// answer gives the question on screen the right (or a wrong) answer with the driver's clicks.
export async function answer(s, bank, scope, right = true) {
  const q = await shownQuestion(s, bank, scope);
  // An order item moves one place a click: up to 15 moves for six steps.
  for (let move = 0; move < 40; move++) {
    const plan = await s.evaluate(mark, q, scope, right);
    if (plan.step) {
      await s.click(plan.step);
      continue;
    }
    for (const sel of plan.clicks || []) await s.click(sel);
    return q;
  }
  throw new Error(`${s.engine}: could not order ${q.id}`);
}

// practise answers n questions of a practice session, checking each and moving on.
export async function practise(s, base, bank, n, scope = 'all') {
  await open(s, `${base}practice/?scope=${scope}&size=${n}`);
  for (let i = 0; i < n; i++) {
    await answer(s, bank, '#practice-session', i % 2 === 0);
    await s.click('#practice-session [data-role=check]');
    await s.waitFor(() => !!document.querySelector('#practice-session .feedback'), [], { message: 'feedback' });
    const counter = await s.evaluate(() => document.querySelector('#practice-session [data-role=counter]').textContent);
    await s.click('#practice-session [data-role=next]');
    await s.waitFor((before) => !document.getElementById('practice-done').hidden
      || (document.querySelector('#practice-session [data-role=counter]').textContent !== before && !document.querySelector('#practice-session .feedback')), [counter], { message: 'the next question' });
  }
}

// answersRecorded reads how many answers the device holds, from the settings page.
export async function answersRecorded(s, base) {
  await open(s, base + 'settings/');
  const text = await s.waitFor(() => document.querySelector('[data-role=device]')?.textContent || '', [], { message: 'the device summary' });
  const m = text.match(/Answers since the last reset\s*(\d+)/);
  assert.ok(m, `${s.engine}: no answer count in "${text}"`);
  return Number(m[1]);
}

// exportProgress presses Export and returns the file's text, caught from the Blob the app makes
// (downloads are each engine's own affair; the file's content is the app's).
export async function exportProgress(s, base) {
  await open(s, base + 'settings/');
  await s.evaluate(() => {
    const make = URL.createObjectURL;
    window.__exported = '';
    URL.createObjectURL = (blob) => { blob.text().then((t) => { window.__exported = t; }); return make.call(URL, blob); };
    // Keep the browser from saving a file: the test reads the Blob instead.
    HTMLAnchorElement.prototype.click = function () {};
  });
  await s.click('[data-role=export]');
  return s.waitFor(() => window.__exported, [], { message: 'the exported file' });
}

// errorsExcept returns the page's errors that no pattern in allowed explains.
export async function errorsExcept(s, allowed = []) {
  return (await s.errors()).filter((e) => !allowed.some((re) => re.test(e.text)));
}

// precacheSize is how many files the service worker precaches.
export function precacheSize() {
  return JSON.parse(readFileSync(join(publicDir, 'sw.js'), 'utf8').match(/const PRECACHE = (\[.*?\]);/)[1]).length;
}

// offlineReady waits until the service worker controls the page and has cached every file.
export async function offlineReady(s) {
  await s.waitFor(() => navigator.serviceWorker.controller !== null, [], { timeout: 30000, message: 'the service worker to take control' });
  await s.waitFor(async (n) => {
    const keys = await caches.keys();
    if (keys.length === 0) return false;
    return (await (await caches.open(keys[0])).keys()).length >= n;
  }, [precacheSize()], { timeout: 60000, message: 'the precache to fill' });
}

// syncOn turns sync on with a new code and returns the code.
export async function syncOn(s, base) {
  await open(s, base + 'settings/');
  await s.click('[data-role=sync-create]');
  return s.waitFor(() => !document.querySelector('[data-role=sync-on]').hidden && document.querySelector('[data-role=sync-code]').textContent.trim(), [], { message: 'sync to turn on' });
}

// syncJoin joins with a typed code.
export async function syncJoin(s, base, code) {
  await open(s, base + 'settings/');
  await s.fill('#sync-code-input', code);
  await s.click('[data-role=sync-join]');
  await s.waitFor(() => !document.querySelector('[data-role=sync-on]').hidden, [], { message: 'joining with the code' });
}

// syncNow presses "Sync now" and waits for a completed round with nothing left waiting.
export async function syncNow(s, base) {
  await open(s, base + 'settings/');
  await s.click('[data-role=sync-now]');
  await s.waitFor(() => {
    const st = document.querySelector('[data-role=sync-status]');
    return st.dataset.kind === 'ok' && !/waiting/.test(st.textContent);
  }, [], { timeout: 30000, message: 'a sync round' });
}

// WebKit reports a same-origin load that a navigation cut short as an error "due to access control
// checks": sync's request in flight when the candidate opens another page ("Fetch API cannot load
// …/api/sync/pull"), or the service worker's script, which the page registers 3 s after load
// ("Cannot load …/sw.js"). Nothing failed: the load was abandoned with the page, and the next page
// does it again (docs/ENGINES.md). Only the local server's own origin is allowed.
export const abandonedLoad = /^(Fetch API cannot load|Cannot load) http:\/\/127\.0\.0\.1:\d+\/\S* due to access control checks\./;
