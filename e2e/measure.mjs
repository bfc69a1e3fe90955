// Measures the app in the browser, for docs/PERFORMANCE.md: the engine's compressed size, the
// time from navigation to an answerable first question (cold and warm cache), and the time to
// record an answer (IndexedDB write plus state update). Prints one JSON object.
// Usage: node e2e/measure.mjs (after make build)
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, launchProfile } from './browser.mjs';
import { startServer, publicDir, appReady } from './server.mjs';

const wasmFile = readdirSync(join(publicDir, 'wasm')).find((f) => f.endsWith('.wasm'));
const size = (f) => statSync(join(publicDir, 'wasm', f)).size;
// The browser's version goes with the figures: a new Chromium moves them as much as our code does.
const result = {
  browser: execFileSync(chromiumPath, ['--version'], { encoding: 'utf8' }).replace(/ built on.*/s, '').trim(),
  wasm_bytes: size(wasmFile), wasm_brotli_bytes: size(wasmFile + '.br'), wasm_gzip_bytes: size(wasmFile + '.gz'),
};

const server = await startServer();
const readyAt = async (page) => {
  await appReady(page);
  await page.waitForSelector('#practice-session [data-role=answer] :is(input, select, button, li)');
  return page.evaluate(() => Math.round(performance.getEntriesByName('app-ready')[0].startTime));
};
const median = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
// Cold: a new browser profile each time (no HTTP cache, no compiled-code cache, empty IndexedDB).
const runs = { cold: [], warm: [] };
for (let i = 0; i < 5; i++) {
  const fresh = await launchProfile();
  const p = await fresh.context.newPage();
  await p.goto(server.url + 'practice/?scope=all&size=20');
  runs.cold.push(await readyAt(p));
  await fresh.close();
}
const b = await launchProfile();
try {
  const page = await b.context.newPage();
  // Warm: the same profile again, as on a second visit.
  for (let i = 0; i < 6; i++) {
    await page.goto(server.url + 'practice/?scope=all&size=20');
    const t = await readyAt(page);
    if (i > 0) runs.warm.push(t);
  }
  result.first_question_ms_cold = median(runs.cold);
  result.first_question_ms_warm = median(runs.warm);
  // Record answers: choose the first option and check, 20 times.
  const records = [];
  for (let i = 0; i < 20; i++) {
    if (await page.locator('#practice-session [data-role=answer] select').count()) {
      await page.selectOption('#practice-session [data-role=answer] select >> nth=0', { index: 1 });
    } else {
      await page.click('#practice-session [data-role=answer] :is(input, .cell, .icon-button:not([disabled])) >> nth=0');
    }
    await page.click('[data-role=check]');
    await page.waitForSelector('.feedback');
    records.push(await page.evaluate(() => { const m = performance.getEntriesByName('record'); return m[m.length - 1].duration; }));
    await page.click('[data-role=next]');
  }
  result.record_answer_ms_median = Math.round(median(records) * 10) / 10;
  result.record_answer_ms_max = Math.round(Math.max(...records) * 10) / 10;
} finally {
  await b.close();
  await server.stop();
}
console.log(JSON.stringify(result, null, 1));
