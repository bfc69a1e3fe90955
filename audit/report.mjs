// The audit's figures, one JSON file per part in build/audit/, for the budgets and for
// `make bench`, which writes them into docs/PERFORMANCE.md.
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../e2e/server.mjs';

export const reportDir = join(root, 'build', 'audit');

export function record(part, data) {
  mkdirSync(reportDir, { recursive: true });
  writeFileSync(join(reportDir, part + '.json'), JSON.stringify({ date: new Date().toISOString(), ...data }, null, 1) + '\n');
}

export function recorded(part) {
  const f = join(reportDir, part + '.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
}
