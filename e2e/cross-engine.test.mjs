// Sync between a Firefox profile and a WebKit profile, through the local sync server: what a
// candidate with a Firefox laptop and an iPhone does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './engines/session.mjs';
import { startServer, publishedBank } from './server.mjs';
import { practise, answersRecorded, errorsExcept, syncOn, syncJoin, syncNow, abandonedLoad } from './engines/steps.mjs';

let server, bank;
before(async () => { server = await startServer(); bank = publishedBank(); });
after(async () => { await server?.stop(); });

test('progress syncs between a Firefox profile and a WebKit profile', async () => {
  const ff = await launch('firefox');
  const wk = await launch('webkit');
  try {
    await practise(ff, server.url, bank, 2, 'domain:1');
    const code = await syncOn(ff, server.url);
    assert.match(code, /^([A-Z2-7]{4}-){6}[A-Z2-7]{4}$/);
    await syncNow(ff, server.url);
    await syncJoin(wk, server.url, code);
    await syncNow(wk, server.url);
    assert.equal(await answersRecorded(wk, server.url), 2, 'WebKit did not get the answers given in Firefox');
    await practise(wk, server.url, bank, 3, 'domain:6');
    await syncNow(wk, server.url);
    await syncNow(ff, server.url);
    assert.equal(await answersRecorded(ff, server.url), 5, 'Firefox did not get the answers given in WebKit');
    for (const s of [ff, wk]) assert.deepEqual(await errorsExcept(s, [abandonedLoad]), [], `${s.engine}: the page reported errors`);
  } finally {
    await Promise.all([ff.close(), wk.close()]);
  }
});
