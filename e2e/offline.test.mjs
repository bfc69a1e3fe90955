// Offline and installable: after one visit every page and the quiz work without a network,
// answers given offline survive a reload and a browser restart, and a new build is offered as an
// update.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { startServer, publicDir, root, publishedBank, appReady, offlineReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

async function answer(page, n) {
  for (let i = 0; i < n; i++) {
    const q = await shown(page, bank, '#practice-session');
    await answerByKeyboard(page, q, true, '#practice-session');
    await tabTo(page, '[data-role=check]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.feedback');
    await page.keyboard.press('Enter');
  }
}

async function answersRecorded(page, url) {
  await page.goto(url + 'settings/');
  await appReady(page);
  return Number((await page.textContent('[data-role=device]')).match(/Answers since the last reset\s*(\d+)/)[1]);
}

test('Chromium finds the site installable', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await page.goto(server.url);
    await offlineReady(page);
    const cdp = await b.context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    const manifest = await (await page.request.get(server.url + 'manifest.webmanifest')).json();
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable' && i.sizes === '512x512'));
    assert.ok(manifest.icons.some((i) => i.sizes === '192x192'));
  } finally {
    await b.close();
  }
});

test('offline after one visit: unvisited pages, practice, and answers kept across reloads and restarts', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'issmp-offline-'));
  try {
    let b = await launchProfile({ userDataDir: profile });
    let page = await b.context.newPage();
    await page.goto(server.url);
    const files = await offlineReady(page);
    assert.ok(files > 50, `only ${files} files precached`);

    await b.context.setOffline(true);
    await page.goto(server.url + 'domain-5/5-3/');
    assert.match(await page.textContent('h1'), /Maintain contingency plan/);
    await page.goto(server.url + 'glossary/');
    assert.equal(await page.textContent('h1'), 'Glossary');
    await page.goto(server.url + 'practice/?scope=all&size=5');
    await appReady(page);
    await answer(page, 3);
    await page.reload();
    await appReady(page);
    assert.equal(await answersRecorded(page, server.url), 3);
    await b.close();

    // A new browser on the same profile, still offline.
    b = await launchProfile({ userDataDir: profile });
    await b.context.setOffline(true);
    page = await b.context.newPage();
    assert.equal(await answersRecorded(page, server.url), 3);
    await page.goto(server.url + 'mock-exam/');
    await appReady(page);
    await page.click('#exam-start [data-role=start]');
    await page.waitForSelector('#exam-run:not([hidden])');
    assert.match(await page.textContent('[data-role=counter]'), /Item 1 of 125/);
    await b.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a new build is offered as an update, but never interrupts a mock exam', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'issmp-update-'));
  const port = new URL(server.url).port;
  const v2 = mkdtempSync(join(tmpdir(), 'issmp-v2-'));
  let own;
  try {
    const b = await launchProfile({ userDataDir: profile });
    const page = await b.context.newPage();
    // A separate server on a port of its own, so that it can be restarted with the new build.
    own = await startServer({ addr: '127.0.0.1:0' });
    await page.goto(own.url + 'mock-exam/');
    await offlineReady(page);
    await appReady(page);
    await page.click('#exam-start [data-role=start]');
    await page.waitForSelector('#exam-run:not([hidden])');

    // The next build: one page changed, the service worker filled in again.
    cpSync(publicDir, v2, { recursive: true });
    cpSync(join(root, 'site/static/sw.js'), join(v2, 'sw.js'));
    const home = join(v2, 'index.html');
    writeFileSync(home, readFileSync(home, 'utf8').replace('</body>', '<!-- v2 --></body>'));
    execFileSync('go', ['run', './cmd/postbuild', v2], { cwd: root });
    const ownPort = new URL(own.url).port;
    await own.stop();
    own = await startServer({ dir: v2, addr: '127.0.0.1:' + ownPort });

    // During the exam the update waits, and says so.
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForSelector('.update-banner', { timeout: 30000 });
    assert.match(await page.textContent('.update-banner'), /after your mock exam/);
    assert.equal(await page.locator('.update-banner button').count(), 0);
    assert.match(await page.textContent('[data-role=counter]'), /Item 1 of 125/, 'the exam is still on screen');

    // On a page without an exam, the candidate can take it.
    await page.goto(own.url + 'domain-1/');
    await page.waitForSelector('.update-banner button', { timeout: 30000 });
    await Promise.all([page.waitForEvent('load'), page.click('.update-banner button')]);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const version = await page.evaluate(() => new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = (e) => resolve(e.data);
      navigator.serviceWorker.controller.postMessage('version', [ch.port2]);
    }));
    const want = readFileSync(join(v2, 'sw.js'), 'utf8').match(/const VERSION = '([0-9a-f]+)'/)[1];
    assert.equal(version, want, 'the new version took over');
    await b.close();
  } finally {
    await own?.stop();
    rmSync(profile, { recursive: true, force: true });
    rmSync(v2, { recursive: true, force: true });
  }
  assert.ok(port);
});
