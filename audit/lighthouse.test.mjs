// Lighthouse 12 in mobile mode (its default: a mid-range phone on a slow 4G network, simulated)
// on a study page, the home page and the practice page. Each page runs five times and the median
// counts, so one noisy run on a busy machine does not decide. Scores go to build/audit.
//
// Each run starts from a same-origin page (Lighthouse's blankPage), not about:blank. The site
// sends Cross-Origin-Opener-Policy: same-origin, so leaving about:blank swaps the browsing context
// group, and Lighthouse books the new renderer's start-up as the page's blocking time (home: TBT
// 90-320 ms against 15-155 ms, performance 93-100 against 98-100, on this machine). A real visitor
// pays that start-up anyway when arriving from another site (a cross-site navigation gets its own
// process), and not at all when moving between the site's pages; the header stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from '../e2e/browser.mjs';
import { startServer, root } from '../e2e/server.mjs';
import { record } from './report.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const lighthouse = join(root, 'node_modules', '.bin', 'lighthouse');
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];

// run runs Lighthouse once; a run that Lighthouse itself reports broken (it sometimes misses the
// navigation in its trace, NO_NAVSTART) is tried again, up to three times.
function run(url) {
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return runOnce(url);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

function runOnce(url) {
  const dir = mkdtempSync(join(tmpdir(), 'issmp-lh-'));
  try {
    const out = join(dir, 'report.json');
    const config = join(dir, 'config.cjs');
    writeFileSync(config, `module.exports = ${JSON.stringify({ extends: 'lighthouse:default', settings: { blankPage: new URL('/favicon.svg', url).href } })};\n`);
    execFileSync(lighthouse, [url, '--quiet', '--output=json', `--output-path=${out}`, `--config-path=${config}`, `--only-categories=${categories.join(',')}`,
      `--chrome-flags=${[...chromiumArgs, `--user-data-dir=${join(dir, 'profile')}`].join(' ')}`],
    { env: { ...process.env, CHROME_PATH: chromiumPath }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180000 });
    const r = JSON.parse(readFileSync(out, 'utf8'));
    const scores = Object.fromEntries(categories.map((c) => [c, Math.round(100 * r.categories[c].score)]));
    for (const a of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']) {
      scores[a] = r.audits[a].numericValue;
    }
    return scores;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(runs) {
  const out = {};
  for (const k of Object.keys(runs[0])) {
    const xs = runs.map((r) => r[k]).sort((a, b) => a - b);
    out[k] = xs[Math.floor(xs.length / 2)];
  }
  return out;
}

// The budgets: the study pages at least 95 for performance and accessibility; the practice page,
// which carries the 1 MB engine, at least 90 for both. It holds 90 because the engine's compile
// and warm-up run in a worker (site/assets/js/compile.js); see docs/PERFORMANCE.md.
const pages = [
  { name: 'home', path: '', performance: 95, accessibility: 95 },
  { name: 'sub-domain page', path: 'domain-3/3-1/', performance: 95, accessibility: 95 },
  { name: 'practice', path: 'practice/', performance: 90, accessibility: 90 },
];
const results = {};

for (const p of pages) {
  test(`Lighthouse mobile: ${p.name} meets its budget`, () => {
    const m = median([0, 1, 2, 3, 4].map(() => run(server.url + p.path)));
    results[p.name] = { path: '/' + p.path, ...m };
    record('lighthouse', results);
    assert.ok(m.performance >= p.performance, `${p.name}: performance ${m.performance} < ${p.performance}`);
    assert.ok(m.accessibility >= p.accessibility, `${p.name}: accessibility ${m.accessibility} < ${p.accessibility}`);
  });
}
