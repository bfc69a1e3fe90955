// Size budgets: a study page arrives in under 60 KB and loads no WebAssembly; the engine is at
// most 1.0 MB (1,000,000 bytes) as brotli.
//
// "Arrives" means everything the page itself fetches on a first visit, until its network is idle:
// the document, what it loads, and what the browser fetches for it after load (manifest, icons).
// It does not include the service worker's precache, the download of the whole site (engine
// included) for offline use that offline.js starts 3 s after load, in the background, so as not
// to compete with the page: that is a separate, deliberate cost, not the page's. Requests made by
// a service worker are reported on the browser context, not on the page, and are not in the
// page's resource timing, so they are outside this measure however long the wait lasts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchProfile } from '../e2e/browser.mjs';
import { startServer, publicDir } from '../e2e/server.mjs';
import { record } from './report.mjs';

let server;
const figures = {};
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); record('budgets', figures); });

const studyBudget = 60 * 1024;
const wasmBudget = 1000000;

// The network counts as idle once nothing the page asked for has been in flight for quietMs; a
// page that is still fetching after idleTimeoutMs fails the test.
const quietMs = 500;
const idleTimeoutMs = 30000;

// trackNetwork follows the page's requests from now on: which are in flight, and which finished.
function trackNetwork(page) {
  const inFlight = new Set();
  const finished = [];
  let lastActivity = Date.now();
  page.on('request', (r) => { inFlight.add(r); lastActivity = Date.now(); });
  const settle = (r) => { inFlight.delete(r); finished.push(r); lastActivity = Date.now(); };
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  return {
    finished,
    // idle resolves once no request has been in flight for quietMs, counted from the later of the
    // call and the last request starting or ending.
    async idle(label) {
      const start = Date.now();
      for (;;) {
        const now = Date.now();
        if (inFlight.size === 0 && now - Math.max(start, lastActivity) >= quietMs) return;
        if (now - start > idleTimeoutMs) {
          const urls = [...inFlight].map((r) => r.url());
          assert.fail(`${label}: the network was not idle ${idleTimeoutMs} ms after load, so the bytes ` +
            `transferred cannot be summed; still in flight: ${urls.join(', ') || '(none; requests kept starting)'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

test('a study page is under 60 KB transferred and loads no WebAssembly', async (t) => {
  // Each page in a fresh profile: nothing cached, as on a first visit.
  for (const path of ['domain-3/3-1/', 'domain-1/1-4/', 'domain-6/', 'glossary/']) {
    const b = await launchProfile();
    try {
      const page = await b.context.newPage();
      // The default buffer keeps 250 resource timing entries; keep them all.
      await page.addInitScript(() => performance.setResourceTimingBufferSize(100000));
      const wasm = [];
      page.on('request', (r) => { if (/\.wasm(\?|$)/.test(r.url())) wasm.push(r.url()); });
      const net = trackNetwork(page);
      await page.goto(server.url + path, { waitUntil: 'load' });
      await net.idle(`/${path}`);
      const entries = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .map((e) => ({ name: e.name, transferSize: e.transferSize })));
      // Every response the page received must be in the sum: one with no timing entry would be
      // bytes transferred and not counted. (A redirect's entry is named by the first URL.)
      const names = new Set(entries.map((e) => e.name));
      const first = (r) => { while (r.redirectedFrom()) r = r.redirectedFrom(); return r; };
      const missing = net.finished
        .filter((r) => !r.failure() && !r.redirectedTo() && !/^(data|blob):/.test(r.url()))
        .filter((r) => !names.has(r.url()) && !names.has(first(r).url()))
        .map((r) => r.url());
      assert.deepEqual(missing, [], `/${path}: responses with no resource timing entry, which the sum would miss`);
      const bytes = entries.reduce((n, e) => n + e.transferSize, 0);
      figures[`transfer /${path}`] = bytes;
      t.diagnostic(`/${path}: ${bytes} bytes transferred in ${entries.length} responses`);
      assert.ok(bytes > 1000, `/${path}: ${bytes} bytes: is transfer size being measured?`);
      assert.ok(bytes < studyBudget, `/${path} transferred ${bytes} bytes; the budget is ${studyBudget}`);
      assert.deepEqual(wasm, [], `/${path} loaded the engine`);
    } finally {
      await b.close();
    }
  }
});

test('the engine is at most 1.0 MB brotli', () => {
  const dir = join(publicDir, 'wasm');
  const br = readdirSync(dir).find((f) => f.endsWith('.wasm.br'));
  assert.ok(br, 'no brotli copy of the engine: was the site built?');
  const size = statSync(join(dir, br)).size;
  figures.wasm_brotli_bytes = size;
  figures.wasm_bytes = statSync(join(dir, br.slice(0, -3))).size;
  assert.ok(size <= wasmBudget, `the engine is ${size} bytes as brotli; the budget is ${wasmBudget}`);
});
