// Size budgets: a study page arrives in under 60 KB and loads no WebAssembly; the engine is at
// most 1.0 MB (1,000,000 bytes) as brotli.
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

test('a study page is under 60 KB transferred and loads no WebAssembly', async () => {
  // Each page in a fresh profile: nothing cached, as on a first visit.
  for (const path of ['domain-3/3-1/', 'domain-1/1-4/', 'domain-6/', 'glossary/']) {
    const b = await launchProfile();
    try {
      const page = await b.context.newPage();
      const wasm = [];
      page.on('request', (r) => { if (/\.wasm(\?|$)/.test(r.url())) wasm.push(r.url()); });
      await page.goto(server.url + path, { waitUntil: 'load' });
      await page.waitForTimeout(500);
      const bytes = await page.evaluate(() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
        .reduce((n, e) => n + e.transferSize, 0));
      figures[`transfer /${path}`] = bytes;
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
