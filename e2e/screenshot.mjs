// Takes screenshots of pages the way a user sees them, on a phone and a desktop, light and dark.
// Usage: node e2e/screenshot.mjs BASE_URL OUT_DIR PATH...
import { launchProfile } from './browser.mjs';
import { mkdirSync } from 'node:fs';

const [base, out, ...paths] = process.argv.slice(2);
if (!base || !out || paths.length === 0) {
  console.error('usage: node e2e/screenshot.mjs BASE_URL OUT_DIR PATH...');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];
for (const scheme of ['light', 'dark']) {
  for (const vp of viewports) {
    const b = await launchProfile({ viewport: { width: vp.width, height: vp.height }, colorScheme: scheme });
    const page = await b.context.newPage();
    for (const p of paths) {
      await page.goto(new URL(p, base).href, { waitUntil: 'load' });
      // An app page is shown as the user sees it once its engine has started (or failed to).
      if (await page.locator('#app-status').count()) {
        await page.waitForSelector('body[data-ready="1"], #app-status.error', { timeout: 30000 }).catch(() => {});
      }
      const name = (p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home');
      const file = `${out}/${name}-${vp.name}-${scheme}.png`;
      await page.screenshot({ path: file, fullPage: process.env.FULL === '1' });
      console.log(file);
    }
    await b.close();
  }
}
