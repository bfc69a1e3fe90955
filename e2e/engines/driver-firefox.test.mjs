// The Firefox driver keeps the Session contract (session.mjs) on the real site: navigation, evaluate,
// a real click, typing and keys, reload, file input, errors (none on the site; caught when made),
// a phone-sized screenshot, and a profile kept across a close and a new launch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './firefox.mjs';
import { startServer, publishedBank } from '../server.mjs';

let server, bank, scratch;
before(async () => {
  server = await startServer();
  bank = publishedBank();
  scratch = mkdtempSync(join(tmpdir(), 'issmp-ff-test-'));
});
after(async () => {
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const ready = (s) => s.waitFor(() => document.body.dataset.ready === '1', [], { timeout: 30000, message: 'the engine' });

// until polls errors() in Node: a log entry reaches the driver a moment after the page made it.
async function until(s, pred, what) {
  const end = Date.now() + 5000;
  for (;;) {
    const errs = await s.errors();
    if (pred(errs)) return errs;
    if (Date.now() > end) assert.fail(`no ${what} in errors(): ${JSON.stringify(errs)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// pngSize reads width and height from a PNG's IHDR chunk.
function pngSize(path) {
  const b = readFileSync(path);
  assert.equal(b.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'not a PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('drives the site: evaluate, click, fill, keys, reload, a file, and errors', async () => {
  const s = await launch();
  const dir = s.profileDir;
  try {
    assert.equal(s.engine, 'firefox');
    await s.goto(server.url);
    assert.equal(await s.url(), server.url);
    // Arguments go in as JSON, results come back as JSON, a promise is awaited.
    assert.deepEqual(await s.evaluate((n, o) => ({ sum: n + o.list[1], w: innerWidth, h: innerHeight }), 2, { list: [0, 40] }),
      { sum: 42, w: 1280, h: 900 });
    assert.equal(await s.evaluate((ms) => new Promise((r) => setTimeout(() => r('late'), ms)), 50), 'late');
    // An exception in a harness function rejects evaluate and is no error of the page.
    await assert.rejects(s.evaluate(() => { throw new Error('harness'); }), /harness/);
    await assert.rejects(s.evaluate(() => Promise.reject(new Error('harness promise'))), /harness promise/);
    // A dialog is dismissed, as Playwright does, instead of blocking the page.
    assert.equal(await s.evaluate(() => confirm('Turn off sync?')), false);
    // Desktop: a mouse, no touch (headless Firefox reports no pointer unless told).
    assert.deepEqual(await s.evaluate(() => [matchMedia('(hover: hover) and (pointer: fine)').matches, 'ontouchstart' in window]), [true, false]);

    // A real click on a link of the home page.
    await s.click('main a[href="/domain-1/"]');
    await s.waitFor(() => location.pathname === '/domain-1/' && document.readyState === 'complete', [], { message: 'the domain page' });

    // The app page starts its engine through the compile worker, and again after a reload.
    await s.goto(server.url + 'practice/?scope=all&size=3');
    await ready(s);
    assert.equal(await s.evaluate(() => document.querySelector('[data-role=counter]').textContent.trim()), 'Question 1 of 3');
    await s.reload();
    assert.equal(await s.url(), server.url + 'practice/?scope=all&size=3');
    await ready(s);

    // Typing into the sync code field: fill replaces what was there, with input events.
    await s.goto(server.url + 'settings/');
    await ready(s);
    await s.evaluate(() => {
      window.__inputs = 0;
      document.querySelector('#sync-code-input').addEventListener('input', () => window.__inputs++);
    });
    await s.fill('#sync-code-input', 'abcd');
    await s.fill('#sync-code-input', 'wxyz');
    await s.press('Backspace');
    assert.deepEqual(await s.evaluate(() => [document.querySelector('#sync-code-input').value, document.activeElement.id, window.__inputs > 0]),
      ['wxy', 'sync-code-input', true]);
    await s.fill('#sync-code-input', '');
    assert.equal(await s.evaluate(() => document.querySelector('#sync-code-input').value), '');

    // A file reaches an <input type=file>: a change event, and the page reads it.
    const file = join(scratch, 'notes.json');
    writeFileSync(file, '{"hello":"wörld"}');
    await s.evaluate(() => {
      const input = Object.assign(document.createElement('input'), { type: 'file', id: 'probe-file' });
      input.addEventListener('change', async () => { window.__file = [input.files[0].name, await input.files[0].text()]; });
      document.body.append(input);
    });
    await s.setFile('#probe-file', file);
    assert.deepEqual(await s.waitFor(() => window.__file, [], { message: 'the change event' }), ['notes.json', '{"hello":"wörld"}']);

    // Nothing went wrong on the site's pages, load time included.
    assert.deepEqual(await s.errors(), []);

    // What goes wrong is caught: a CSP violation, an uncaught error, an unhandled rejection, console.error.
    await s.evaluate(() => {
      document.body.append(Object.assign(document.createElement('img'), { src: 'https://example.invalid/x.png' }));
      setTimeout(() => { throw new Error('deliberate uncaught'); });
      Promise.reject(new Error('deliberate rejection'));
      console.error('deliberate console');
    });
    const errs = await until(s, (e) => e.length >= 4, 'four errors');
    const has = (kind, re) => errs.some((e) => e.kind === kind && re.test(e.text));
    assert.ok(has('csp', /img-src/), JSON.stringify(errs));
    assert.ok(has('pageerror', /deliberate uncaught/), JSON.stringify(errs));
    assert.ok(has('pageerror', /deliberate rejection/), JSON.stringify(errs));
    assert.ok(has('console', /deliberate console/), JSON.stringify(errs));
    assert.ok(!errs.some((e) => /harness/.test(e.text)), 'a harness exception counted as a page error');
  } finally {
    await s.close();
  }
  assert.equal(existsSync(dir), false, 'the profile launch made was not removed');
});

test('a phone at 390 by 844 with touch; the profile survives a close and a new launch', async () => {
  const profileDir = mkdtempSync(join(tmpdir(), 'issmp-ff-kept-'));
  try {
    let s = await launch({ profileDir, width: 390, height: 844, touch: true });
    try {
      await s.goto(server.url);
      assert.deepEqual(await s.evaluate(() => [innerWidth, innerHeight, matchMedia('(pointer: coarse)').matches, navigator.maxTouchPoints > 0]),
        [390, 844, s.touch, s.touch]);
      const shot = join(scratch, 'phone.png');
      await s.screenshot(shot);
      assert.deepEqual(pngSize(shot), { width: 390 * (await s.evaluate(() => devicePixelRatio)), height: 844 });

      // Answer one known question with a key and the Check button: the app keeps it in IndexedDB.
      const q = bank.questions.find((x) => x.type === 'single' && !x.scenario);
      await s.goto(server.url + `practice/?scope=questions:${q.id}&size=1`);
      await ready(s);
      const texts = await s.evaluate(() => [...document.querySelectorAll('#practice-session .choice [data-role=text]')].map((e) => e.textContent.trim()));
      await s.press(String(texts.indexOf(q.choices[q.key[0]].text) + 1));
      await s.click('#practice-session [data-role=check]');
      const verdict = await s.waitFor(() => document.querySelector('.feedback .verdict')?.textContent.trim(), [], { message: 'the verdict' });
      assert.equal(verdict, '✓ Correct');
      await s.press('Enter');
      await s.waitFor(() => !document.querySelector('#practice-done').hidden, [], { message: 'the end of the session' });
      await s.evaluate(() => localStorage.setItem('issmp-driver-probe', 'kept'));
      // The service worker registers a few seconds after the first load; wait until it controls.
      await s.reload();
      await s.waitFor(() => navigator.serviceWorker.controller !== null, [], { timeout: 20000, message: 'the service worker' });
      assert.deepEqual(await s.errors(), []);
    } finally {
      await s.close();
    }
    assert.ok(existsSync(profileDir), 'a given profile was removed');

    s = await launch({ profileDir });
    try {
      await s.goto(server.url + 'settings/');
      await ready(s);
      assert.equal(await s.evaluate(() => localStorage.getItem('issmp-driver-probe')), 'kept');
      assert.match(await s.evaluate(() => document.querySelector('[data-role=device]').textContent), /Answers since the last reset\s*1(?!\d)/);
      assert.equal(await s.evaluate(() => navigator.serviceWorker.controller !== null), true, 'no service worker after the restart');
      // Touch prefs of the last launch do not stay in the kept profile.
      assert.deepEqual(await s.evaluate(() => [innerWidth, matchMedia('(pointer: coarse)').matches, 'ontouchstart' in window, navigator.maxTouchPoints]),
        [1280, false, false, 0]);
      assert.deepEqual(await s.errors(), []);
    } finally {
      await s.close();
    }
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
});
