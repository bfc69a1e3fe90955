// The suite every engine passes: what a candidate does on the site, from the first visit to
// working offline. e2e/firefox.test.mjs and e2e/webkit.test.mjs run it; Chromium's own tests cover
// the same ground in more depth, and ENGINES=chromium runs this suite there too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, newProfileDir } from './session.mjs';
import { startServer, publishedBank, root } from '../server.mjs';
import { open, ready, answer, practise, answersRecorded, exportProgress, errorsExcept, offlineReady, abandonedLoad } from './steps.mjs';

// Where the suites' screenshots go; `make screenshots`-style copies in docs/screenshots are taken
// from here by hand, after looking at them.
export const shots = join(root, 'build/screenshots/engines');

// clean fails the test if the page reported any error, CSP violation included (WebKit's word for
// a load abandoned by a navigation aside: steps.mjs, abandonedLoad).
async function clean(s, allowed = []) {
  const errors = await errorsExcept(s, [abandonedLoad, ...allowed]);
  assert.deepEqual(errors, [], `${s.engine}: the page reported errors`);
}

const counter = (s) => s.evaluate(() => document.querySelector('#exam-run [data-role=counter]').textContent.trim());
const examStem = (s) => s.evaluate(() => document.querySelector('#exam-run [data-role=stem]').textContent.trim());
const navState = (s) => s.evaluate(() => [...document.querySelectorAll('#exam-nav button')].map((b) => `${b.classList.contains('answered') ? 'A' : '-'}${b.classList.contains('flagged') ? 'F' : '-'}`).join(''));

// engineSuite registers the suite's tests for one engine.
export function engineSuite(engine) {
  let server, bank;
  const sessions = [];
  const start = async (options) => {
    const s = await launch(engine, options);
    sessions.push(s);
    return s;
  };
  before(async () => { server = await startServer(); bank = publishedBank(); });
  after(async () => {
    await Promise.all(sessions.map((s) => s.close().catch(() => {})));
    await server?.stop();
  });

  test(`${engine}: the home page and a study page render`, async () => {
    const s = await start();
    await s.goto(server.url);
    const home = await s.evaluate(() => ({ h1: document.querySelector('h1')?.textContent.trim(), domains: document.querySelectorAll('a[href^="/domain-"]').length }));
    assert.ok(home.h1, 'the home page has a heading');
    assert.ok(home.domains >= 6, `the home page links the 6 domains (${home.domains})`);
    await s.click('a[href^="/domain-1/"]');
    await s.waitFor(() => location.pathname.startsWith('/domain-1/') && document.readyState === 'complete', [], { message: 'the domain page' });
    const study = await s.evaluate(() => ({ h1: document.querySelector('h1').textContent, tasks: document.querySelectorAll('[id^="task-"]').length, width: document.documentElement.scrollWidth <= innerWidth }));
    assert.match(study.h1, /Leadership/);
    assert.ok(study.width, 'the study page scrolls sideways');
    await clean(s);
    await s.close();
  });

  test(`${engine}: practice starts the engine through the compile worker, and answers survive a reload`, async () => {
    // A profile of the test's own, so that a restart can reopen it.
    const dir = newProfileDir(engine);
    const s = await start({ profileDir: dir });
    await open(s, server.url + 'practice/?scope=all&size=3');
    // The compile worker fetched the module and the bank: the page itself fetched neither.
    const fetched = await s.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => /^\/(wasm\/quiz|bank\/bank)\./.test(p)));
    assert.deepEqual(fetched, [], 'the page compiled the engine itself: no compile worker');
    await practise(s, server.url, bank, 3);
    assert.equal(await s.evaluate(() => !document.getElementById('practice-done').hidden), true, 'the session ends with its summary');
    assert.equal(await answersRecorded(s, server.url), 3);
    await s.reload();
    await ready(s);
    assert.equal(await answersRecorded(s, server.url), 3, 'the answers did not survive a reload');
    await clean(s);
    await s.close();
    if (s.persistent !== false) {
      // A browser restart on the same profile keeps them too.
      const again = await start({ profileDir: dir });
      assert.equal(await answersRecorded(again, server.url), 3, 'the answers did not survive a restart');
      await again.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test(`${engine}: a mock exam starts, takes answers and flags, and resumes after a reload on the same item`, async () => {
    const s = await start();
    await open(s, server.url + 'mock-exam/');
    await s.click('#exam-start [data-role=start]');
    await s.waitFor(() => !document.getElementById('exam-run').hidden, [], { message: 'the exam to start' });
    assert.equal(await counter(s), 'Item 1 of 125');
    for (let i = 0; i < 4; i++) {
      await answer(s, bank, '#exam-run', true);
      if (i === 1) await s.click('#exam-run [data-role=flag]');
      await s.click('#exam-run [data-role=next]');
      await s.waitFor((n) => document.querySelector('#exam-run [data-role=counter]').textContent.trim() === `Item ${n} of 125`, [i + 2], { message: `item ${i + 2}` });
    }
    const before = { stem: await examStem(s), nav: await navState(s) };
    assert.equal(before.nav.slice(0, 10), 'A-AFA-A---', 'answers and the flag in the navigator');
    await s.reload();
    await ready(s);
    await s.click('#exam-start [data-role=resume]');
    await s.waitFor(() => !document.getElementById('exam-run').hidden, [], { message: 'the exam to resume' });
    assert.equal(await counter(s), 'Item 5 of 125', 'resumes on the item it was on');
    assert.equal(await examStem(s), before.stem, 'the same item');
    assert.equal(await navState(s), before.nav, 'the same answers and flags');
    await clean(s);
    await s.close();
  });

  test(`${engine}: export, then import into a fresh profile`, async () => {
    const a = await start();
    await practise(a, server.url, bank, 2);
    const file = join(mkdtempSync(join(tmpdir(), `issmp-${engine}-export-`)), 'progress.json');
    writeFileSync(file, await exportProgress(a, server.url));
    await clean(a);
    await a.close();
    const b = await start();
    await open(b, server.url + 'settings/');
    await b.setFile('#import-file', file);
    await b.click('[data-role=import]');
    const status = await b.waitFor(() => /Imported \d+ new events/.test(document.querySelector('[data-role=import-status]').textContent) && document.querySelector('[data-role=import-status]').textContent, [], { message: 'the import' });
    assert.match(status, /Imported \d+ new events/);
    assert.equal(await answersRecorded(b, server.url), 2, 'the import did not bring the answers');
    await clean(b);
    await b.close();
  });

  test(`${engine}: the service worker takes control, and the site works offline after one visit`, async () => {
    const own = await startServer();
    let up = true;
    try {
      const s = await start();
      await open(s, own.url + 'practice/');
      await offlineReady(s);
      await own.stop();
      up = false;
      // No server at all now: the pages, the engine and the bank come from the cache.
      await open(s, own.url + 'practice/?scope=all&size=2');
      await practise(s, own.url, bank, 2);
      await s.goto(own.url + 'domain-3/');
      assert.match(await s.evaluate(() => document.querySelector('h1').textContent), /Risk/);
      // Sync cannot reach its server offline: that is expected, and said on the page, not an error.
      await clean(s, [/api\/|Failed to fetch|NetworkError|network connection|Load failed|Could not connect/i]);
      await s.close();
    } finally {
      if (up) await own.stop();
    }
  });

  test(`${engine}: the practice page on a phone-sized screen (390 by 844)`, async () => {
    const s = await start({ width: 390, height: 844, touch: true });
    await open(s, server.url + 'practice/?scope=subdomain:1.1&size=5');
    const fit = await s.evaluate(() => ({ inner: innerWidth, scroll: document.documentElement.scrollWidth }));
    assert.equal(fit.inner, 390);
    assert.ok(fit.scroll <= 390, `the page scrolls sideways (${fit.scroll} px wide)`);
    mkdirSync(shots, { recursive: true });
    await s.screenshot(join(shots, `practice-${engine}-390x844.png`));
    await clean(s);
    await s.close();
  });
}
