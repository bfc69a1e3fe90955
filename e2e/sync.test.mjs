// Cross-device sync through the local server: device A answers offline, device B answers online,
// both sync and show the same totals; a third device joins with the code and gets everything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady, offlineReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

async function answer(page, n, scope) {
  await page.goto(server.url + `practice/?scope=${scope}&size=${n}`);
  await appReady(page);
  for (let i = 0; i < n; i++) {
    const q = await shown(page, bank, '#practice-session');
    await answerByKeyboard(page, q, i % 2 === 0, '#practice-session');
    await tabTo(page, '[data-role=check]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.feedback');
    await page.keyboard.press('Enter');
  }
}

async function settings(page) {
  await page.goto(server.url + 'settings/');
  await appReady(page);
}

async function answers(page) {
  await settings(page);
  return Number((await page.textContent('[data-role=device]')).match(/Answers since the last reset\s*(\d+)/)[1]);
}

// totals is what the dashboard shows for every domain.
async function totals(page) {
  await page.goto(server.url + 'dashboard/');
  await appReady(page);
  return (await page.textContent('[data-role=domains]')).replace(/\s+/g, ' ').trim();
}

// syncNow presses "Sync now" and waits for a completed round with nothing waiting.
async function syncNow(page) {
  await settings(page);
  await page.click('[data-role=sync-now]');
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-role=sync-status]');
    return s.dataset.kind === 'ok' && !/waiting/.test(s.textContent);
  }, null, { timeout: 30000 });
}

async function join(page, code) {
  await settings(page);
  await page.fill('#sync-code-input', code);
  await page.click('[data-role=sync-join]');
  await page.waitForSelector('[data-role=sync-on]:not([hidden])');
}

test('two devices sync answers given offline and online; a third joins with the code and gets everything', async () => {
  const a = await launchProfile(), b = await launchProfile(), c = await launchProfile();
  try {
    const pa = await a.context.newPage(), pb = await b.context.newPage(), pc = await c.context.newPage();
    // A turns sync on and shows its code and QR code.
    await settings(pa);
    await pa.click('[data-role=sync-create]');
    await pa.waitForSelector('[data-role=sync-on]:not([hidden])');
    const code = (await pa.textContent('[data-role=sync-code]')).trim();
    assert.match(code, /^([A-Z2-7]{4}-){6}[A-Z2-7]{4}$/);
    assert.equal(await pa.locator('[data-role=sync-qr] svg path').count(), 1);
    // B joins by the link in A's QR code: the code arrives in the fragment, never in a request.
    const requests = [];
    pb.on('request', (r) => requests.push(r.url()));
    await pb.goto(server.url + 'settings/#sync=' + code.replaceAll('-', ''));
    await appReady(pb);
    assert.equal(await pb.inputValue('#sync-code-input'), code.replaceAll('-', ''));
    assert.ok(!pb.url().includes(code.replaceAll('-', '')), 'the code stayed in the address bar');
    await pb.click('[data-role=sync-join]');
    await pb.waitForSelector('[data-role=sync-on]:not([hidden])');
    assert.ok(requests.every((u) => !u.includes(code.replaceAll('-', ''))), 'the code was sent in a request');

    // A answers on the train, once its first visit has put the site in the cache.
    await offlineReady(pa);
    await a.context.setOffline(true);
    await answer(pa, 4, 'domain:1');
    await pa.waitForFunction(() => /Offline/.test(document.getElementById('sync-line').textContent), null, { timeout: 15000 });
    assert.match(await pa.textContent('#sync-line'), /waiting to be sent/);
    assert.equal(await answers(pa), 4);
    // B answers at home.
    await answer(pb, 3, 'domain:3');
    await syncNow(pb);
    // A is back online: it syncs by itself.
    await a.context.setOffline(false);
    await pa.evaluate(() => window.dispatchEvent(new Event('online')));
    await syncNow(pa);
    await syncNow(pb);
    assert.equal(await answers(pa), 7);
    assert.equal(await answers(pb), 7);
    const want = await totals(pa);
    assert.match(want, /4 answers/);
    assert.equal(await totals(pb), want);

    // C joins with the typed code (lower case, spaces) and gets everything.
    await join(pc, code.toLowerCase().replaceAll('-', ' '));
    await syncNow(pc);
    assert.equal(await answers(pc), 7);
    assert.equal(await totals(pc), want);

    // A wrong code is refused with a sentence, and nothing changes.
    const d = await launchProfile();
    try {
      const pd = await d.context.newPage();
      await settings(pd);
      await pd.fill('#sync-code-input', code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A'));
      await pd.click('[data-role=sync-join]');
      await pd.waitForFunction(() => /typo/.test(document.querySelector('[data-role=sync-status]').textContent));
      assert.ok(await pd.isHidden('[data-role=sync-on]'));
    } finally {
      await d.close();
    }
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
});
