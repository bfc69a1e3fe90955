// The WebKit driver keeps the Session contract (session.mjs) against the real site: navigation, the
// WebAssembly engine starting, evaluate, real clicks, typing and keys, IndexedDB across a reload,
// what goes wrong in the page (load-time messages included), a phone-sized screenshot, a file
// chosen for an <input type=file>, and nothing left running after close().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startServer } from '../server.mjs';
import { launch } from './webkit.mjs';

let server, s, dir;
before(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'issmp-driver-webkit-'));
  s = await launch();
});
after(async () => {
  await s?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ready = () => s.waitFor(() => document.body.dataset.ready === '1', [], { timeout: 30000, message: 'the engine to start' });

test('the session describes itself', () => {
  assert.equal(s.engine, 'webkit');
  assert.equal(s.persistent, false); // automation sessions are ephemeral: no restart-based steps
  assert.equal(s.touch, false);
});

test('the home page loads at the asked viewport; evaluate takes arguments and awaits promises', async () => {
  await s.goto(server.url);
  assert.equal(await s.url(), server.url);
  assert.deepEqual(await s.evaluate(() => [innerWidth, innerHeight]), [1280, 900]);
  assert.equal(await s.evaluate((a, b) => a + b, 2, 3), 5);
  assert.deepEqual(await s.evaluate(async (o) => {
    await new Promise((r) => setTimeout(r, 50));
    return { ...o, title: document.title.length > 0 };
  }, { n: 1, list: ['a', null] }), { n: 1, list: ['a', null], title: true });
  await assert.rejects(s.evaluate(() => { throw new Error('thrown in the page'); }), /thrown in the page/);
});

test('Tab and Enter reach the skip link and follow it', async () => {
  await s.press('Tab');
  assert.equal(await s.evaluate(() => document.activeElement.className), 'skip');
  await s.press('Enter');
  await s.waitFor(() => location.hash === '#main', [], { message: 'the skip link to be followed' });
});

test('a real click on a link opens practice, whose engine starts', async () => {
  await s.goto(server.url);
  await s.click('.site-nav-row a[href="/practice/"]');
  await s.waitFor(() => location.pathname === '/practice/' && document.readyState === 'complete');
  await ready();
  await s.goto(server.url + 'practice/?scope=all&size=3');
  await ready();
  assert.match(await s.evaluate(() => document.querySelector('[data-role=counter]').textContent), /Question 1 of 3/);
});

test('fill replaces what a field holds and the page sees input events', async () => {
  await s.goto(server.url + 'settings/');
  await ready();
  await s.evaluate(() => {
    window.__inputs = 0;
    document.getElementById('sync-code-input').addEventListener('input', () => window.__inputs++);
  });
  await s.fill('#sync-code-input', 'first text');
  await s.fill('#sync-code-input', 'abcd-efgh');
  assert.equal(await s.evaluate(() => document.getElementById('sync-code-input').value), 'abcd-efgh');
  assert.ok(await s.evaluate(() => window.__inputs) >= 9, 'typing fires input events');
});

test('setFile gives the page a file it reads', async () => {
  const garbage = join(dir, 'garbage.json');
  writeFileSync(garbage, 'this is not progress');
  await s.evaluate(() => {
    window.__changed = [];
    document.getElementById('import-file').addEventListener('change', (e) => window.__changed.push(e.target.files[0]?.name));
  });
  await s.setFile('#import-file', garbage);
  assert.deepEqual(await s.evaluate(() => window.__changed), ['garbage.json']);
  await s.click('[data-role=import]');
  await s.waitFor(() => document.querySelector('[data-role=import-status]').textContent.includes('nothing was imported'),
    [], { message: 'the import to refuse the file' });
});

test('a reload keeps IndexedDB and the app data', async () => {
  await s.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('driver-test', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('kv');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('kv', 'readwrite');
      tx.objectStore('kv').put('kept', 'k');
      tx.oncomplete = () => { open.result.close(); resolve(); };
    };
  }));
  await s.reload();
  await ready();
  const got = await s.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('driver-test', 1);
    open.onsuccess = () => {
      const req = open.result.transaction('kv').objectStore('kv').get('k');
      req.onsuccess = () => { open.result.close(); resolve(req.result); };
    };
  }));
  assert.equal(got, 'kept');
  const names = await s.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).sort());
  assert.ok(names.includes('issmp-progress'), `the app's database is there: ${names}`);
});

test('errors() has a CSP violation and an uncaught error, and the site logs nothing else', async () => {
  await s.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = 1'; // no inline script under the site's CSP
    document.head.append(script);
    setTimeout(() => { throw new Error('deliberate uncaught error'); });
  });
  const found = await until(async () => {
    const all = await s.errors();
    return all.some((e) => e.kind === 'pageerror' && /deliberate uncaught error/.test(e.text)) ? all : null;
  });
  assert.equal(await s.evaluate(() => window.__inline), null, 'the inline script ran');
  const csp = found.filter((e) => e.kind === 'csp' && /Refused to execute a script/.test(e.text));
  assert.equal(csp.length, 1, JSON.stringify(found));
  const mine = (e) => /deliberate uncaught error|Refused to execute a script/.test(e.text);
  // The site itself logs nothing in WebKit (it once logged an unknown CSP directive, manifest-src,
  // on every page).
  assert.deepEqual(found.filter((e) => !mine(e)), []);
});

// Messages logged while a page loads, before any script of the test could listen, are caught: a
// page of the test's own logs one from its first script, after a goto and after a reload.
test('a message logged while the page loads is caught', async () => {
  const page = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><title>load</title><script>console.error("logged while loading " + performance.now())</script>');
  });
  await new Promise((r) => page.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${page.address().port}/`;
    const count = async () => (await s.errors()).filter((e) => /logged while loading/.test(e.text)).length;
    const before = await count();
    await s.goto(url);
    await until(async () => (await count()) === before + 1);
    await s.reload();
    await until(async () => (await count()) === before + 2);
  } finally {
    page.close();
  }
});

test('a screenshot at 390 by 844 is a PNG of the viewport', async () => {
  const phone = await launch({ width: 390, height: 844 });
  try {
    await phone.goto(server.url);
    assert.deepEqual(await phone.evaluate(() => [innerWidth, innerHeight]), [390, 844]);
    const file = join(dir, 'home.png');
    await phone.screenshot(file);
    const png = readFileSync(file);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.subarray(12, 16).toString(), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [390, 844]);
  } finally {
    await phone.close();
  }
  assert.ok(!existsSync(phone.profileDir), 'close() removes the profile it made');
});

async function until(fn, timeout = 5000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out: ' + JSON.stringify(await s.errors()));
    await new Promise((r) => setTimeout(r, 100));
  }
}

