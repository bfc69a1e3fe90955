// A progress file with bad events in it (a reset dated next year that names events up to 2099, an
// answer that does not fit its question, an answer to a question the bank does not hold) leaves the
// app working: the answers given before and after the import count, and Settings says what could
// not be used. docs/PROGRESS.md has the rules.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { startServer, publishedBank, appReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

// id makes an event id as quiz/event.go does: the time in milliseconds, the device, a counter.
const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function base32(v, width) {
  let s = '';
  for (let i = 0; i < width; i++) { s = crockford[Number(v % 32n)] + s; v /= 32n; }
  return s;
}
const id = (ms, device, seq) => `${base32(BigInt(ms), 10)}-${device}-${base32(BigInt(seq), 4)}`;

async function answerOne(page) {
  await page.goto(server.url + 'practice/?scope=all&size=1');
  await appReady(page);
  const q = await shown(page, bank, '#practice-session');
  await answerByKeyboard(page, q, true, '#practice-session');
  await tabTo(page, '[data-role=check]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.feedback');
  await page.waitForFunction(() => !document.body.dataset.saving);
}

async function facts(page) {
  await page.goto(server.url + 'settings/');
  await appReady(page);
  return Object.fromEntries(await page.$$eval('[data-role=device] div', (ds) => ds.map((d) => [d.querySelector('dt').textContent, d.querySelector('dd').textContent])));
}

test('importing a file with a reset dated next year and answers that do not fit loses nothing and says what it could not use', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'issmp-bad-'));
  const order = bank.questions.find((q) => q.type === 'order');
  assert.ok(order, 'the bank has an order item');
  const now = Date.now();
  const file = join(dir, 'bad.json');
  const z = 'ZZZZZZZZ';
  const events = [
    { v: 1, id: id(now - 3600e3, z, 0), type: 'practice.answer', data: { q: order.id, r: [64, 63, 62, 61, 60], ok: true } },
    { v: 1, id: id(now - 3600e3, z, 1), type: 'practice.answer', data: { q: 'no-such-question', r: [0], ok: true } },
    // Made "next year" on a fast clock; it claims to have seen another device's events up to 2099.
    { v: 2, id: id(now + 365 * 864e5, z, 0), type: 'progress.reset', data: { seen: { YYYYYYYY: id(now + 75 * 365 * 864e5, 'YYYYYYYY', 5) } } },
  ];
  writeFileSync(file, JSON.stringify({ format: 'issmp-progress', version: 2, exported: new Date(now).toISOString(), device: z, events }));

  const b = await launchProfile();
  const faults = [];
  try {
    const page = await b.context.newPage();
    page.on('pageerror', (e) => faults.push(e.message));
    await answerOne(page);
    assert.equal((await facts(page))['Answers since the last reset'], '1');

    await page.setInputFiles('#import-file', file);
    await page.click('[data-role=import]');
    await page.waitForFunction(() => /Imported \d+ new events/.test(document.querySelector('[data-role=import-status]').textContent));
    const status = await page.textContent('[data-role=import-status]');
    assert.match(status, /Imported 3 new events/);
    assert.match(status, /2 do not fit this question bank/);

    let f = await facts(page);
    assert.equal(f['Answers since the last reset'], '1', 'the answer given before the import still counts');
    assert.match(f['Records that do not fit the question bank'] || '', /^2, kept but not counted/);
    assert.equal(f["Records dated ahead of this device's clock"], '1, counted from their date', 'the reset waits for its date');

    await answerOne(page);
    f = await facts(page);
    assert.equal(f['Answers since the last reset'], '2', 'an answer given after the import counts');
    assert.doesNotMatch(await page.evaluate(() => document.getElementById('app-message')?.textContent || ''), /Something went wrong/);
    assert.deepEqual(faults, []);
  } finally {
    await b.close();
  }
});
