// Starts the local server (the same one `make serve` runs) on a free port for a test, over the
// site `make build` made in public/.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const publicDir = process.env.PUBLIC_DIR || join(root, 'public');

// Each server keeps its sync data in a fresh folder unless a test shares one (syncDB).
export async function startServer({ bin = join(root, 'build/bin/serve'), dir = publicDir, addr = '127.0.0.1:0', syncDB, args = [] } = {}) {
  const db = syncDB || join(mkdtempSync(join(tmpdir(), 'issmp-sync-')), 'sync.db');
  const child = spawn(bin, ['-dir', dir, '-addr', addr, '-sync-db', db, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

// The published question bank, to know keys and types.
export function publishedBank() {
  const dir = join(publicDir, 'bank');
  const file = readdirSync(dir).find((f) => /^bank\..*\.json$/.test(f));
  return JSON.parse(readFileSync(join(dir, file), 'utf8'));
}

// Waits until the app page's engine is running.
export async function appReady(page) {
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
}

// offlineReady waits until the service worker controls the page and has cached every file, and
// returns how many. On a first visit the page registers it 3 s after load (site/assets/js/offline.js),
// so a test that goes offline must wait for this, as a visitor would have to.
export async function offlineReady(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
  const want = JSON.parse(readFileSync(join(publicDir, 'sw.js'), 'utf8').match(/const PRECACHE = (\[.*?\]);/)[1]).length;
  await page.waitForFunction(async (n) => {
    const keys = await caches.keys();
    if (keys.length === 0) return false;
    return (await (await caches.open(keys[0])).keys()).length >= n;
  }, want, { timeout: 60000, polling: 250 });
  return want;
}
