// Report a problem (issue 24): a candidate reports a question from its feedback while offline; the
// report waits in IndexedDB, goes when the network returns, and the form says so. The report
// carries the question, the bank's version, the answer, the reason and the comment, and nothing
// that identifies the candidate or the device. The maintainers' command lists it.
//
// It needs the server side of issue 24 (POST /api/report and cmd/reports): before that is merged
// the server refuses the report (404) and this test fails where it waits for "Sent".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchProfile } from './browser.mjs';
import { startServer, root, publishedBank, appReady, offlineReady } from './server.mjs';
import { shown, answerByKeyboard, tabTo } from './answer.mjs';

let server, bank, dir, db, qid;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'issmp-report-'));
  db = join(dir, 'sync.db');
  server = await startServer({ syncDB: db });
  bank = publishedBank();
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// The answer as the report writes it (quiz.AnswerText) when the key was given.
function keyAsText(q) {
  const letter = (i) => String.fromCharCode(65 + i);
  if (q.type === 'hotspot' && q.grid) return `${q.grid.rows[q.key[0]].text} / ${q.grid.cols[q.key[1]].text}`;
  if (q.type === 'order') return q.choices.map((_, i) => String(i + 1)).join(' ');
  if (q.type === 'match') return q.pairs.map((_, i) => `${i + 1}${letter(i)}`).join(' ');
  return [...q.key].sort((a, b) => a - b).map(letter).join(' ');
}

const sentText = 'Sent. Thank you: the report goes to the maintainers, without anything that identifies you.';
const savedText = 'Saved on this device: it will be sent when you are back online.';

// goOnline ends the offline emulation and tells the page, as a browser does when the network returns.
async function goOnline(context, page) {
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
}

test('a problem reported offline waits on the device, is sent when back online, and the command lists it', async () => {
  const b = await launchProfile();
  try {
    const page = await b.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const posts = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/report') posts.push({ headers: r.headers(), body: r.postData() });
    });

    // The device's id, to check that no report carries it.
    await page.goto(server.url + 'settings/');
    await appReady(page);
    const device = (await page.textContent('[data-role=device]')).match(/Device id\s*(\S+)/)[1];
    assert.ok(device.length > 4, 'no device id on the settings page');

    await page.goto(server.url + 'practice/?scope=all&size=3');
    await offlineReady(page);
    await appReady(page);
    const q = await shown(page, bank, '#practice-session');
    qid = q.id;
    await answerByKeyboard(page, q, true, '#practice-session');
    await tabTo(page, '[data-role=check]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#practice-session .feedback');

    await b.context.setOffline(true);
    const report = page.locator('#practice-session .report');
    const open = report.getByRole('button', { name: 'Report a problem' });
    await open.click();
    const form = report.locator('form');
    assert.ok(await form.isVisible());
    assert.ok(await open.isHidden(), 'the button stays while its form is open');
    // The focus moves into the form, onto the first reason; the six reasons in their order.
    assert.equal(await page.evaluate(() => document.activeElement.value), 'key_wrong');
    assert.deepEqual((await form.locator('.report-reason').allTextContents()).map((s) => s.trim()), [
      'The key looks wrong', 'More than one answer is right', 'The explanation is wrong or unclear', 'A typo', 'Out of date', 'Something else',
    ]);
    await form.getByLabel('The key looks wrong').check();
    const comment = 'La clé semble fausse — « B » convient aussi ✓ 日本語 🙂';
    const box = form.getByLabel(/Comment/);
    assert.equal(await box.getAttribute('maxlength'), '1000');
    await box.fill(comment);
    assert.equal((await form.locator('.report-count').textContent()).trim(), `${comment.length} of 1000 characters`);
    await form.getByRole('button', { name: 'Send' }).click();
    const status = report.locator('[role=status]');
    await page.waitForFunction((want) => document.querySelector('#practice-session .report [role=status]')?.textContent === want, savedText);
    assert.ok(!(await form.isVisible()), 'the form stays open once the report is kept');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Report a problem', 'the focus did not go back to the button');

    // Back online: the report goes, and the status on the page says so.
    await goOnline(b.context, page);
    await page.waitForFunction((want) => document.querySelector('#practice-session .report [role=status]')?.textContent === want, sentText, { timeout: 30000 })
      .catch(async (e) => { throw new Error(`the report was not sent: the status says ${JSON.stringify(await status.textContent())} (${e.message})`); });

    const sent = posts.filter((p) => JSON.parse(p.body).comment === comment);
    assert.ok(sent.length >= 1, 'no request carried the report');
    const body = JSON.parse(sent.at(-1).body);
    assert.deepEqual(Object.keys(body), ['v', 'question', 'bank', 'answer', 'reason', 'comment']);
    assert.deepEqual(body, { v: 1, question: q.id, bank: bank.version, answer: keyAsText(q), reason: 'key_wrong', comment });
    for (const p of posts) {
      assert.ok(!('x-sync-token' in p.headers), 'a report carried a sync token');
      assert.ok(!p.body.includes(device), 'a report carried the device id');
    }

    // A second report, offline: it survives a page change in IndexedDB, and Settings counts it.
    await b.context.setOffline(true);
    await open.click();
    await form.getByLabel('A typo').check();
    await form.getByRole('button', { name: 'Send' }).click();
    await page.waitForFunction((want) => document.querySelector('#practice-session .report [role=status]')?.textContent === want, savedText);
    await page.goto(server.url + 'settings/');
    await appReady(page);
    const waiting = page.locator('[data-role=reports]');
    assert.match(await waiting.textContent(), /^1 problem report is waiting to be sent/);
    await goOnline(b.context, page);
    await waiting.waitFor({ state: 'hidden', timeout: 30000 });
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }

  // The maintainers' command lists both (it cannot open the database while the server runs).
  await server.stop();
  server = null;
  const out = execFileSync('go', ['run', './cmd/reports', '-db', db], { cwd: root, encoding: 'utf8', timeout: 240000 });
  assert.ok(out.includes(qid), `the command does not name question ${qid}:\n` + out);
  assert.ok(out.includes('La clé semble fausse — « B » convient aussi ✓ 日本語 🙂'), 'the comment is not listed:\n' + out);
  assert.match(out, /key_wrong|The key looks wrong/, 'the reason is not listed');
  assert.match(out, /typo|A typo/, 'the second report is not listed');
});
