// The Session contract (session.mjs) over Playwright and Debian's Chromium.
import { rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumPath, chromiumArgs } from '../browser.mjs';
import { newProfileDir, pollUntil } from './session.mjs';

export async function launch({ profileDir, width = 1280, height = 900, touch = false } = {}) {
  const own = !profileDir;
  const dir = profileDir || newProfileDir('chromium');
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath, args: chromiumArgs, headless: true,
    viewport: { width, height }, hasTouch: touch, isMobile: touch,
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push({ kind: 'console', text: m.text() }); });
  page.on('pageerror', (e) => errors.push({ kind: 'pageerror', text: e.stack || e.message }));
  return {
    engine: 'chromium',
    profileDir: dir,
    async goto(url) { await page.goto(url, { waitUntil: 'load' }); },
    async reload() { await page.reload({ waitUntil: 'load' }); },
    async url() { return page.url(); },
    // An expression evaluated over CDP, which the page's CSP does not govern.
    async evaluate(fn, ...args) { return page.evaluate(`(${fn.toString()})(...${JSON.stringify(args)})`); },
    async waitFor(fn, args = [], opts = {}) { return pollUntil(this, fn, args, opts); },
    async click(selector) { await page.click(selector); },
    async fill(selector, text) { await page.fill(selector, text); },
    async press(key) { await page.keyboard.press(key); },
    async setFile(selector, path) { await page.setInputFiles(selector, path); },
    async screenshot(path) { await page.screenshot({ path }); },
    async errors() { return [...errors]; },
    async close() {
      await context.close();
      if (own) rmSync(dir, { recursive: true, force: true });
    },
  };
}
