// The Session contract (session.mjs) over puppeteer-core and Debian's Firefox ESR, spoken over
// WebDriver BiDi (no geckodriver: Firefox's own remote agent answers puppeteer).
import { rmSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { newProfileDir, pollUntil } from './session.mjs';

export const firefoxPath = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

// Prefs on top of puppeteer's own (updates, telemetry, safe browsing already off) and those the
// remote agent sets once it runs (captive portal and connectivity checks off). Service workers need
// none: http://127.0.0.1 is a secure context.
const prefs = {
  // Remote settings would look up firefox.settings.services.mozilla.com again and again; a data:
  // URL is the agent's own dummy server (honoured on ESR only with MOZ_REMOTE_SETTINGS_DEVTOOLS).
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
};

// What kind of pointer the page sees. Headless Firefox on Linux finds no mouse and reports
// (pointer: none) and (hover: none), which the site's stylesheet takes for a touch screen (it hides
// the key hints): say a mouse, as Chromium does. With touch, a phone: (pointer: coarse), (hover:
// none), touch events and maxTouchPoints (Firefox 153's BiDi has no emulation.setTouchOverride).
// Both sets name the same prefs: Firefox copies them into a kept profile's prefs.js, and the next
// launch must override every one of them.
function pointerPrefs(touch) {
  return {
    'ui.primaryPointerCapabilities': touch ? 1 : 6, // 1 coarse; 2 fine | 4 hover
    'ui.allPointerCapabilities': touch ? 1 : 6,
    'dom.w3c_touch_events.enabled': touch ? 1 : 2, // TouchEvent; 2 (default): only with a touch screen
    'dom.w3c_touch_events.legacy_apis.enabled': touch, // 'ontouchstart' in window, which sites test
    'dom.maxtouchpoints.testing.value': touch ? 5 : -1, // navigator.maxTouchPoints; -1: the device's
  };
}

export async function launch({ profileDir, width = 1280, height = 900, touch = false } = {}) {
  const own = !profileDir;
  const dir = profileDir || newProfileDir('firefox');
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: firefoxPath, headless: true, userDataDir: dir,
    extraPrefsFirefox: { ...prefs, ...pointerPrefs(touch) },
    env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' }, // lets the pref above count
    defaultViewport: null, // set below on the one page, with touch
  });
  try {
    const page = (await browser.pages())[0] || (await browser.newPage());
    const errors = watchErrors(page);
    // Playwright dismisses a dialog nobody handles; BiDi here would leave it open and the page stuck.
    page.on('dialog', (d) => { d.dismiss().catch(() => {}); });
    // The first page is about:blank: a touch change reloads it, which costs nothing yet.
    await page.setViewport({ width, height, hasTouch: touch, isMobile: touch });
    return session({ browser, page, errors, dir, own, touch });
  } catch (err) {
    await browser.close().catch(() => {});
    if (own) rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

// watchErrors collects what goes wrong in the page from the BiDi log: console.error calls, and
// JavaScript errors, which include uncaught errors, unhandled rejections and CSP violations (Firefox
// reports a violation as an error of the page, "Content-Security-Policy: ..."). An exception in a
// function of evaluate() comes back as its result, not as a log entry, so harness errors stay out.
function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push({ kind: 'console', text: m.text() }); });
  page.on('pageerror', (e) => {
    const csp = /^Content-Security-Policy:/.test(e.message);
    errors.push({ kind: csp ? 'csp' : 'pageerror', text: csp ? e.message : e.stack || e.message || String(e) });
  });
  return errors;
}

function session({ browser, page, errors, dir, own, touch }) {
  const wait = (selector) => page.locator(selector).setTimeout(15000);
  return {
    engine: 'firefox',
    profileDir: dir,
    touch, // emulated: touch events, maxTouchPoints and a coarse pointer without hover
    async goto(url) { await page.goto(url, { waitUntil: 'load' }); },
    async reload() { await page.reload({ waitUntil: 'load' }); },
    async url() { return page.url(); },
    // A function sent over BiDi (script.callFunction), which the page's CSP does not govern.
    async evaluate(fn, ...args) { return page.evaluate(fn, ...args); },
    async waitFor(fn, args = [], opts = {}) { return pollUntil(this, fn, args, opts); },
    // Waits until the element is visible, enabled and still, scrolls it into view and clicks it.
    async click(selector) { await wait(selector).click(); },
    async fill(selector, text) {
      const el = await wait(selector).waitHandle();
      try {
        await el.evaluate((e) => { e.focus(); if (typeof e.select === 'function') e.select(); });
        // Typing replaces the selection; an empty text deletes it, with an input event either way.
        if (text === '') await page.keyboard.press('Backspace');
        else await page.keyboard.type(text);
      } finally {
        await el.dispose();
      }
    },
    async press(key) { await pressKey(page, key); },
    async setFile(selector, path) {
      const el = await page.waitForSelector(selector, { timeout: 15000 });
      try { await el.uploadFile(path); } finally { await el.dispose(); }
    },
    async screenshot(path) { await page.screenshot({ path, type: 'png', captureBeyondViewport: false }); },
    async errors() { return [...errors]; },
    async close() {
      await browser.close();
      if (own) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// pressKey presses one key, or a chord such as 'Shift+Tab' or 'Alt+ArrowUp' as Playwright takes it.
async function pressKey(page, key) {
  const chord = key.length > 1 && key.match(/^((?:\w+\+)+)(.+)$/);
  if (!chord) return page.keyboard.press(key);
  const mods = chord[1].slice(0, -1).split('+').map((m) => (m === 'ControlOrMeta' ? 'Control' : m));
  for (const m of mods) await page.keyboard.down(m);
  try {
    await page.keyboard.press(chord[2]);
  } finally {
    for (const m of mods.reverse()) await page.keyboard.up(m);
  }
}
