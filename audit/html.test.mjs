// HTML validity: the Nu HTML Checker (npm vnu-jar, on Java 17) over every page the site publishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { publicDir } from '../e2e/server.mjs';
import { record } from './report.mjs';

const vnu = String(createRequire(import.meta.url)('vnu-jar'));

function pages(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pages(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : []);
}

test('every published page is valid HTML', () => {
  const files = pages(publicDir);
  assert.ok(files.length >= 40, `only ${files.length} pages found: was the site built?`);
  // vnu writes its JSON report to stderr, and exits 1 when it finds errors.
  const run = spawnSync('java', ['-jar', vnu, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8' });
  assert.ok(run.stderr.trim().startsWith('{'), `the checker did not run: ${run.error || run.stderr}`);
  const { messages } = JSON.parse(run.stderr);
  record('html', { pages: files.length, errors: messages.length });
  assert.deepEqual(messages.map((m) => `${m.url.replace(/^file:.*?public\//, '')}:${m.lastLine}: ${m.message}`), []);
});
