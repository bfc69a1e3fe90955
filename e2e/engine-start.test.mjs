// How the quiz engine starts: the compile worker (site/assets/js/compile.js) compiles the module,
// fetches the bank and warms the engine up off the page's main thread; without a worker the page
// does it all itself and still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, appReady } from './server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// fetchedByPage lists the engine's files that the page itself fetched (a worker's requests are in
// the worker's own timeline, not the page's).
function fetchedByPage(page) {
  return page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => /^\/(wasm\/quiz|bank\/bank)\./.test(p)));
}

test('the compile worker fetches the module and the bank, so the page itself fetches neither', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const workers = [];
    page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
    await page.goto(server.url + 'practice/?scope=all&size=2');
    await appReady(page);
    assert.ok(workers.some((p) => /^\/js\/compile\.[^/]*\.js$/.test(p)), `no compile worker started: ${workers}`);
    assert.deepEqual(await fetchedByPage(page), []);
    assert.equal(await page.evaluate(() => 'issmpBankBytes' in self), false, 'the handed-over bank was not consumed');
    assert.ok(await page.isVisible('#practice-session'), 'no question on screen');
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});

test('without Web Workers the page compiles the engine itself and practice works', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    await page.addInitScript(() => { delete window.Worker; });
    await page.goto(server.url + 'practice/?scope=all&size=2');
    await appReady(page);
    const fetched = await fetchedByPage(page);
    assert.ok(fetched.some((p) => p.startsWith('/wasm/quiz.')), `the page did not fetch the module: ${fetched}`);
    assert.ok(fetched.some((p) => p.startsWith('/bank/bank.')), `the page did not fetch the bank: ${fetched}`);
    assert.ok(await page.isVisible('#practice-session'), 'no question on screen');
  } finally {
    await b.close();
  }
});

test('a compile worker that cannot load falls back to the page, which starts the engine', async () => {
  const b = await launchProfile();
  try {
    await b.context.route('**/js/compile.*.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
    const page = await b.context.newPage();
    await page.goto(server.url + 'practice/?scope=all&size=2');
    await appReady(page);
    assert.ok((await fetchedByPage(page)).some((p) => p.startsWith('/wasm/quiz.')), 'the page did not compile the module itself');
    assert.ok(await page.isVisible('#practice-session'), 'no question on screen');
  } finally {
    await b.close();
  }
});
