// Fast hands: bursts of key presses and clicks with no pause between them, as a candidate who
// changes their mind taps, alone and while a sync pull or an import writes thousands of events.
// After every burst the page must answer within a second, and after a reload every item must
// hold the last answer given, with the flags and the position as left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { shown } from './answer.mjs';

let server, bank;
const figures = [];
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => {
  await server?.stop();
  for (const f of figures) console.log(`# ${f}`);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seeded = (seed) => () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };

// burst runs the actions in the page, each in a task of its own, back to back: nothing waits
// between them but the event loop. It returns at once; settle waits for the end.
async function burst(page, actions) {
  await page.evaluate((actions) => {
    const b = window.__burst = { done: 0, total: actions.length, errors: [], start: performance.timeOrigin + performance.now(), end: 0 };
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      const a = actions[b.done];
      try {
        if (a.key) {
          (document.activeElement || document.body).dispatchEvent(new KeyboardEvent('keydown', { key: a.key, shiftKey: !!a.shift, bubbles: true, cancelable: true }));
        } else if (a.click) {
          document.querySelector(a.click).click();
        } else if (a.online) {
          window.dispatchEvent(new Event('online')); // the app syncs when the network returns
        }
      } catch (e) {
        b.errors.push(`${JSON.stringify(a)}: ${e}`);
      }
      b.done++;
      if (b.done < b.total) ch.port2.postMessage(0);
      else b.end = performance.timeOrigin + performance.now();
    };
    ch.port2.postMessage(0);
  }, actions);
}

// realKeys presses keys through the browser's input pipeline, all sent before any is handled.
async function realKeys(cdp, keys) {
  const sent = [];
  for (const k of keys) {
    const code = k.charCodeAt(0);
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: k, code: 'Digit' + k, text: k, unmodifiedText: k, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k, code: 'Digit' + k, windowsVirtualKeyCode: code, nativeVirtualKeyCode: code }));
  }
  // A frozen page never acknowledges them: settle reports that, so do not wait here for long.
  await Promise.race([Promise.all(sent), sleep(3000)]);
}

// settle waits until the burst has run and every write is stored, asking the page through
// Runtime.evaluate all along; each question must be answered within a second. It returns the
// slowest answer in milliseconds.
async function settle(page, cdp, what) {
  let worst = 0;
  const deadline = Date.now() + 60000;
  for (;;) {
    const t = Date.now();
    const r = await Promise.race([
      cdp.send('Runtime.evaluate', { expression: 'JSON.stringify([window.__burst ? window.__burst.done === window.__burst.total : true, document.body.dataset.saving || "", window.__burst ? window.__burst.errors : []])', returnByValue: true }),
      sleep(1000).then(() => null),
    ]);
    if (r === null) assert.fail(`${what}: the page did not answer Runtime.evaluate within a second: it froze`);
    worst = Math.max(worst, Date.now() - t);
    const [ran, saving, errors] = JSON.parse(r.result.value);
    assert.deepEqual(errors, [], `${what}: actions of the burst failed`);
    if (ran && !saving) return worst;
    if (Date.now() > deadline) assert.fail(`${what}: the burst or its writes did not finish in a minute`);
    await sleep(25);
  }
}

// ---- The mock exam ----

const navState = (page) => page.$$eval('#exam-nav button', (bs) => bs.map((b) => `${b.classList.contains('answered') ? 'A' : '-'}${b.classList.contains('flagged') ? 'F' : '-'}`));
const counter = async (page) => (await page.textContent('#exam-run [data-role=counter]')).trim();
const checkedPositions = (page) => page.$$eval('#exam-run .choice input', (ins) => ins.map((x, i) => (x.checked ? i : -1)).filter((i) => i >= 0));

async function goToItem(page, i) {
  if (await page.$('#exam-nav[hidden]')) await page.click('[data-role=nav-toggle]');
  await page.click(`#exam-nav li:nth-child(${i + 1}) button`);
  await page.waitForFunction((n) => document.querySelector('#exam-run [data-role=counter]').textContent.trim() === `Item ${n} of 125`, i + 1);
}

// The candidate as the test models them: where they are, what each item holds, what is flagged.
class ExamModel {
  constructor(items) {
    this.items = items; // per item: { kind: 'single' | 'multi' | 'other', options }
    this.pos = 0;
    this.answers = items.map(() => []);
    this.flags = items.map(() => false);
    this.touched = new Set();
  }
  press(d) {
    const it = this.items[this.pos];
    const p = d - 1;
    if (it.kind === 'other' || p >= it.options) return;
    this.touched.add(this.pos);
    if (it.kind === 'multi') {
      const a = this.answers[this.pos];
      this.answers[this.pos] = a.includes(p) ? a.filter((x) => x !== p) : [...a, p].sort((x, y) => x - y);
    } else {
      this.answers[this.pos] = [p];
    }
  }
  go(i) { if (i >= 0 && i < 125) this.pos = i; }
  flag() { this.flags[this.pos] = !this.flags[this.pos]; this.touched.add(this.pos); }
  nav() {
    return Array.from({ length: 125 }, (_, i) => (i < this.items.length ? `${this.answers[i].length ? 'A' : '-'}${this.flags[i] ? 'F' : '-'}` : '--'));
  }
}

// randomActions makes a burst over the first items: answer changes, flags, next and previous by
// key and by button, the navigator. It applies each action to the model as it goes.
function randomActions(model, rnd, n) {
  const out = [];
  const span = model.items.length;
  for (let k = 0; k < n; k++) {
    const x = rnd();
    if (x < 0.45) {
      const d = 1 + Math.floor(rnd() * 4);
      out.push({ key: String(d) });
      model.press(d);
    } else if (x < 0.55) {
      out.push({ click: '#exam-run [data-role=flag]' });
      model.flag();
    } else if (x < 0.65 && model.pos < span - 1) {
      out.push({ key: 'Enter' });
      model.go(model.pos + 1);
    } else if (x < 0.72 && model.pos > 0) {
      out.push({ key: 'Enter', shift: true });
      model.go(model.pos - 1);
    } else if (x < 0.8 && model.pos < span - 1) {
      out.push({ click: '#exam-run [data-role=next]' });
      model.go(model.pos + 1);
    } else if (x < 0.86 && model.pos > 0) {
      out.push({ click: '#exam-run [data-role=prev]' });
      model.go(model.pos - 1);
    } else if (x < 0.9) {
      out.push({ click: '#exam-run [data-role=nav-toggle]' });
    } else {
      const i = Math.floor(rnd() * span);
      out.push({ click: `#exam-nav li:nth-child(${i + 1}) button` });
      model.go(i);
    }
  }
  return out;
}

// startExam starts a mock exam and reads the kind of the first items, then returns to item 1.
async function startExam(page, span) {
  await page.bringToFront(); // a tab in the background gets no animation frames, which clicks wait for
  await page.goto(server.url + 'mock-exam/');
  await appReady(page);
  await page.click('#exam-start [data-role=start]');
  await page.waitForSelector('#exam-run:not([hidden])');
  const items = [];
  for (let i = 0; i < span; i++) {
    const type = (await page.textContent('#exam-run [data-role=type]')).trim();
    const options = await page.locator('#exam-run .choice input').count();
    items.push({ kind: options === 0 ? 'other' : type === 'Multiple response' ? 'multi' : 'single', options });
    if (i < span - 1) {
      await page.click('#exam-run [data-role=next]');
      await page.waitForFunction((n) => document.querySelector('#exam-run [data-role=counter]').textContent.trim() === `Item ${n} of 125`, i + 2);
    }
  }
  await goToItem(page, 0);
  return new ExamModel(items);
}

// checkExam compares the page with the model: the position, the navigator, and every item's
// selected options.
async function checkExam(page, model, when) {
  assert.equal(await counter(page), `Item ${model.pos + 1} of 125`, `${when}: the item on screen`);
  assert.deepEqual(await navState(page), model.nav(), `${when}: answered and flagged items in the navigator`);
  for (const i of [...model.touched].sort((a, b) => a - b)) {
    if (model.items[i].kind === 'other') continue;
    await goToItem(page, i);
    model.go(i); // the candidate looked: a reload now resumes here
    assert.deepEqual(await checkedPositions(page), model.answers[i], `${when}: the options selected on item ${i + 1}`);
  }
}

// examBursts runs the bursts on an exam page; during, if given, starts something that writes
// at the same time and returns a function that tells whether it overlapped the bursts.
async function examBursts(t, page, { during, seed = 1, label }) {
  const cdp = await page.context().newCDPSession(page);
  const span = 12;
  const model = await startExam(page, span);
  const rnd = seeded(seed);
  let presses = 0, worst = 0;

  // The report's case: 1 2 1 2 on a multiple-choice item, as real key presses with no pause.
  const single = model.items.findIndex((it) => it.kind === 'single' && it.options >= 2);
  if (single >= 0) {
    await goToItem(page, single);
    model.go(single);
    await page.focus('#exam-run [data-role=counter]');
    await realKeys(cdp, ['1', '2', '1', '2']);
    for (const d of [1, 2, 1, 2]) model.press(d);
    presses += 4;
    worst = Math.max(worst, await settle(page, cdp, `${label}: keys 1 2 1 2 on item ${single + 1}`));
  }

  const mergeWindows = during ? await during() : null;
  const windows = [];
  for (let b = 0; b < 6; b++) {
    // While something else writes, the first burst is long enough to span its write.
    const n = b === 0 && during ? 300 : 60;
    const actions = randomActions(model, rnd, n);
    if (b === 0 && during) actions.unshift({ online: true });
    await burst(page, actions);
    presses += actions.length;
    worst = Math.max(worst, await settle(page, cdp, `${label}: burst ${b + 1} of ${n} actions`));
    windows.push(await page.evaluate(() => [window.__burst.start, window.__burst.end]));
  }
  if (mergeWindows) {
    const merges = await mergeWindows();
    const overlap = merges.some(([ms, me]) => windows.some(([bs, be]) => ms < be && bs < me));
    assert.ok(overlap, `${label}: the other writes (${JSON.stringify(merges)}) did not overlap the bursts (${JSON.stringify(windows)}), so this proved nothing about them`);
  }
  figures.push(`${label}: ${presses} actions in bursts with no pause between them; slowest answer to Runtime.evaluate ${worst} ms`);

  await checkExam(page, model, `${label}, before the reload`);
  await settle(page, cdp, `${label}: the checks' moves`); // the position is stored
  await page.reload();
  await appReady(page);
  await page.click('#exam-start [data-role=resume]');
  await page.waitForSelector('#exam-run:not([hidden])');
  await checkExam(page, model, `${label}, after the reload`);
  return model;
}

test('bursts of answer changes, flags and moves in a mock exam: the page keeps answering and a reload finds the last of everything', { timeout: 240000 }, async (t) => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await examBursts(t, page, { seed: 7, label: 'mock exam' });
  } finally {
    await b.close();
  }
});

// ---- Writes from elsewhere at the same time ----

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function base32(v, width) {
  let s = '';
  let n = BigInt(v);
  for (let i = 0; i < width; i++) { s = CROCKFORD[Number(n % 32n)] + s; n /= 32n; }
  return s;
}

// progressFile writes an export file of n practice answers by another device, a day ago.
function progressFile(n, device) {
  const singles = bank.questions.filter((q) => q.type === 'single' && !q.retired);
  const start = Date.now() - 86400000;
  const events = [];
  for (let i = 0; i < n; i++) {
    const q = singles[i % singles.length];
    events.push({ v: 1, id: `${base32(start + i * 1000, 10)}-${device}-0000`, type: 'practice.answer', data: { q: q.id, r: [i % 4], ok: q.key[0] === i % 4 } });
  }
  const file = join(mkdtempSync(join(tmpdir(), 'issmp-stress-')), 'progress.json');
  writeFileSync(file, JSON.stringify({ format: 'issmp-progress', version: 1, exported: new Date().toISOString(), device, events }));
  return file;
}

async function settings(page) {
  await page.goto(server.url + 'settings/');
  await appReady(page);
}

const eventsRecorded = async (page) => Number((await page.textContent('[data-role=device]')).match(/Events recorded\s*(\d+)/)[1]);

// mergeWindows reads when the page's merges of events from elsewhere ran (epoch ms).
function mergeWindows(page) {
  return page.evaluate(() => performance.getEntriesByName('merge').map((m) => [performance.timeOrigin + m.startTime, performance.timeOrigin + m.startTime + m.duration]));
}

test('bursts in a mock exam while a sync pull merges 3,000 events from another device', { timeout: 300000 }, async (t) => {
  const a = await launchProfile(), b = await launchProfile();
  try {
    const pa = await a.context.newPage(), pb = await b.context.newPage();
    // B makes a sync code; A joins it while B has nothing yet.
    await settings(pb);
    await pb.click('[data-role=sync-create]');
    await pb.waitForSelector('[data-role=sync-on]:not([hidden])');
    const code = (await pb.textContent('[data-role=sync-code]')).trim();
    await settings(pa);
    await pa.fill('#sync-code-input', code);
    await pa.click('[data-role=sync-join]');
    await pa.waitForSelector('[data-role=sync-on]:not([hidden])');
    const n = 3000;
    await examBursts(t, pa, {
      seed: 11,
      label: 'mock exam during a sync pull',
      // Once A's exam runs, B imports 3,000 answers and pushes them; A's first burst brings the
      // network back ('online'), which starts the pull.
      during: async () => {
        await settings(pb);
        await pb.setInputFiles('#import-file', progressFile(n, 'BBBBBBBB'));
        await pb.click('[data-role=import]');
        await pb.waitForFunction((n) => /Imported (\d+) new events/.test(document.querySelector('[data-role=import-status]').textContent), n, { timeout: 60000 });
        await pb.click('[data-role=sync-now]');
        await pb.waitForFunction(() => {
          const s = document.querySelector('[data-role=sync-status]');
          return s.dataset.kind === 'ok' && !/waiting/.test(s.textContent);
        }, null, { timeout: 60000 });
        return () => mergeWindows(pa);
      },
    });
    // Everything B sent is here, after the reload too.
    await settings(pa);
    assert.ok(await eventsRecorded(pa) >= n, `A holds ${await eventsRecorded(pa)} events after the pull; want at least ${n}`);
  } finally {
    await a.close();
    await b.close();
  }
});

test('bursts in a mock exam while another tab imports 20,000 events into the same storage', { timeout: 300000 }, async (t) => {
  const a = await launchProfile();
  try {
    const exam = await a.context.newPage();
    const other = await a.context.newPage();
    await settings(other);
    const n = 20000;
    const file = progressFile(n, 'CCCCCCCC');
    await examBursts(t, exam, {
      seed: 13,
      label: 'mock exam during an import in another tab',
      during: async () => {
        await other.bringToFront();
        await other.setInputFiles('#import-file', file);
        await other.click('[data-role=import]'); // runs while the bursts do
        await exam.bringToFront();
        return async () => {
          await other.waitForFunction(() => /Imported \d+ new events/.test(document.querySelector('[data-role=import-status]').textContent), null, { timeout: 120000 });
          return mergeWindows(other);
        };
      },
    });
    await settings(exam);
    assert.ok(await eventsRecorded(exam) >= n, 'the imported events are stored beside the exam');
  } finally {
    await a.close();
  }
});

// ---- Practice ----

test('bursts in practice: answer changes then check, then next, answer and check again: each stored answer is the last one chosen', { timeout: 240000 }, async () => {
  const b = await launchProfile({ acceptDownloads: true });
  try {
    const page = await b.context.newPage();
    const cdp = await page.context().newCDPSession(page);
    const singles = bank.questions.filter((q) => q.type === 'single' && !q.retired && q.choices.length === 4).slice(0, 10);
    await page.goto(server.url + `practice/?scope=questions:${singles.map((q) => q.id).join(',')}&size=${singles.length}`);
    await appReady(page);
    const rnd = seeded(5);
    const want = new Map(); // question id -> the stored index of the last option chosen
    let presses = 0, worst = 0;
    for (let i = 0; i < singles.length; i++) {
      const actions = i === 0 ? [] : [{ key: 'Enter' }]; // next question
      let last = 0;
      for (let k = 0; k < 6; k++) {
        last = 1 + Math.floor(rnd() * 4);
        actions.push({ key: String(last) });
      }
      actions.push({ key: 'Enter' }); // check
      await burst(page, actions);
      presses += actions.length;
      worst = Math.max(worst, await settle(page, cdp, `practice burst ${i + 1}`));
      await page.waitForSelector('#practice-session .feedback');
      const q = await shown(page, bank, '#practice-session');
      const texts = await page.$$eval('#practice-session .choice [data-role=text]', (els) => els.map((e) => e.textContent.trim()));
      want.set(q.id, q.choices.findIndex((c) => c.text === texts[last - 1]));
      assert.equal(await page.$eval('#practice-session .choice input:checked + [data-role=letter]', (e) => e.textContent), 'ABCD'[last - 1], `question ${i + 1} shows the last choice`);
    }
    figures.push(`practice: ${presses} key presses in bursts of 7 or 8 with no pause; slowest answer to Runtime.evaluate ${worst} ms`);
    assert.equal(want.size, singles.length, 'every question was answered once');

    // After a reload, the export holds exactly one answer per question: the last chosen.
    await page.reload();
    await appReady(page);
    await settings(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-role=export]')]);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf8')).events.filter((e) => e.type === 'practice.answer');
    assert.equal(saved.length, singles.length, 'one stored answer per check, none invented');
    for (const e of saved) assert.deepEqual(e.data.r, [want.get(e.data.q)], `the stored answer to ${e.data.q}`);
  } finally {
    await b.close();
  }
});

// ---- A write that fails ----

test('an answer the browser refuses to store is taken back from the screen, and the candidate is told', { timeout: 120000 }, async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    const model = await startExam(page, 8);
    const i = model.items.findIndex((it) => it.kind === 'single');
    assert.ok(i >= 0, 'a multiple-choice item among the first 8');
    await goToItem(page, i);
    await page.click('#exam-run .choice:nth-child(1) input');
    await page.waitForFunction(() => !document.body.dataset.saving);
    // The storage now refuses every write, as a full disk does.
    await page.evaluate(() => { IDBObjectStore.prototype.put = () => { throw new DOMException('The quota was exceeded', 'QuotaExceededError'); }; });
    await page.click('#exam-run .choice:nth-child(2) input');
    await page.waitForSelector('#app-message[data-kind=error]:not([hidden])');
    assert.match(await page.textContent('#app-message'), /could not be saved.*give it again/);
    // In view once the (smooth) scroll has run.
    await page.waitForFunction(() => { const r = document.querySelector('#app-message').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }, null, { timeout: 5000 });
    await page.waitForFunction(() => !document.body.dataset.saving);
    assert.deepEqual(await checkedPositions(page), [0], 'the item shows the answer that is stored, not the refused one');
    await page.reload();
    await appReady(page);
    await page.click('#exam-start [data-role=resume]');
    await page.waitForSelector('#exam-run:not([hidden])');
    await goToItem(page, i);
    assert.deepEqual(await checkedPositions(page), [0], 'after a reload too');
  } finally {
    await b.close();
  }
});
