import { launchProfile } from './browser.mjs';
import { startServer, appReady } from './server.mjs';
const server = await startServer();
for (const rate of [1, 4]) {
  const b = await launchProfile();
  const page = await b.context.newPage();
  const cdp = await b.context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.addInitScript(() => { window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true }); });
  await page.goto(server.url + 'practice/');
  await appReady(page);
  await page.waitForTimeout(1500);
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]));
  const res = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => /wasm|bank/.test(r.name)).map((r) => [r.name.split('/').pop().slice(0, 12), Math.round(r.startTime), Math.round(r.responseEnd)]));
  console.log('rate', rate, JSON.stringify(marks), JSON.stringify(res), 'long tasks', JSON.stringify(await page.evaluate(() => window.__lt)));
  await b.close();
}
await server.stop();
