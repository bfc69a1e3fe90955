// One set of steps, three engines. A Session is a browser profile with one page, driven the same
// way whether the engine is Chromium (Playwright), Firefox (puppeteer-core over WebDriver BiDi) or
// WebKit (WebKitGTK's WebDriver, driven by webdriverio). A test written against it runs in each.
//
// The contract every driver keeps (e2e/engines/chromium.mjs, firefox.mjs, webkit.mjs):
//
//   engine                      'chromium' | 'firefox' | 'webkit'
//   profileDir                  the profile's folder (kept across close() when given to launch)
//   goto(url)                   navigates and waits for the load event
//   reload()                    reloads and waits for the load event
//   url()                       the page's address
//   evaluate(fn, ...args)       runs fn (a function, never a string: the site's CSP refuses eval)
//                               in the page with JSON arguments; returns its JSON result, awaiting
//                               a promise
//   waitFor(fn, args, opts)     polls evaluate(fn, ...args) until it returns something truthy and
//                               returns that; opts.timeout (ms, default 15000), opts.message
//   click(selector)             a real click by the driver on the first match, scrolled into view
//   fill(selector, text)        focuses the field, clears it and types text
//   press(key)                  one key at the focused element: 'Enter', 'Tab', 'ArrowDown', '1'...
//   setFile(selector, path)     puts a file from this machine into an <input type=file>
//   screenshot(path)            a PNG of the viewport
//   errors()                    what went wrong in the page since launch: console errors, uncaught
//                               errors, unhandled rejections and CSP violations, as
//                               [{ kind, text }] with kind 'console', 'pageerror' or 'csp'
//                               (load-time ones included; an entry may arrive a few ms late, so
//                               poll for one you expect)
//   close()                     closes the browser; removes the profile unless launch was given one
//   persistent                  false when a restart on the same profileDir keeps nothing (WebKit's
//                               automation always uses a private store); absent means it keeps all
//   touch                       whether touch is emulated (a coarse pointer, no hover, touch events)
//
// launch options: { profileDir, width, height, touch } (default 1280 by 900, no touch).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const engines = ['chromium', 'firefox', 'webkit'];

// launch starts engine with a profile and one page.
export async function launch(engine, options = {}) {
  const mod = await import(`./${engine}.mjs`);
  return mod.launch(options);
}

// newProfileDir makes an empty profile folder for a driver that was given none.
export function newProfileDir(engine) {
  return mkdtempSync(join(tmpdir(), `issmp-${engine}-`));
}

// pollUntil is waitFor for drivers without one of their own: it evaluates until truthy.
export async function pollUntil(session, fn, args = [], { timeout = 15000, message, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await session.evaluate(fn, ...args);
      if (last) return last;
    } catch (err) {
      // A navigation in flight destroys the context the function ran in: try again.
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(`${session.engine}: timed out after ${timeout} ms waiting for ${message || fn.toString().slice(0, 120)} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

// A page-side recorder of what went wrong, for drivers that get no console events (WebDriver
// classic): installed after each load, it keeps errors in sessionStorage so that a reload does not
// lose them. Errors before it is installed are the driver's to catch another way.
export function installRecorder() {
  if (window.__issmpRecorder) return;
  window.__issmpRecorder = true;
  const keep = (kind, text) => {
    const all = JSON.parse(sessionStorage.getItem('__issmpErrors') || '[]');
    all.push({ kind, text: String(text).slice(0, 500) });
    sessionStorage.setItem('__issmpErrors', JSON.stringify(all));
  };
  addEventListener('error', (e) => keep('pageerror', e.message || (e.target && e.target.src) || 'error'), true);
  addEventListener('unhandledrejection', (e) => keep('pageerror', e.reason && (e.reason.stack || e.reason.message) || e.reason));
  document.addEventListener('securitypolicyviolation', (e) => keep('csp', `${e.violatedDirective} blocked ${e.blockedURI}`));
  const error = console.error;
  console.error = (...args) => { keep('console', args.map(String).join(' ')); error.apply(console, args); };
}
