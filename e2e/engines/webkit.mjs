// The Session contract (session.mjs) over WebKitGTK: its MiniBrowser, driven by WebKitWebDriver (W3C
// WebDriver classic, no BiDi) through webdriverio, on an Xvfb screen of its own.
//
// Each session runs its own Xvfb, WebKitWebDriver and MiniBrowser (launch about 1.4 s, close 0.1 s),
// killed by close(), when this process exits, or by a watchdog shell if it is killed outright.
// Sharing one driver would save about 0.3 s a session but mix the sessions' processes and
// inspector ports. Xvfb is started directly with -displayfd rather than by `xvfb-run -a`, whose
// choice of a free display races between sessions started at once.
//
// What goes wrong in the page: WebDriver classic sends no console events, and MiniBrowser's
// --enable-write-console-messages-to-stdout prints nothing under the driver (automation sessions
// are ephemeral, and WebKit never prints an ephemeral page's console). So the driver also opens
// WebKit's remote inspector (the WEBKIT_INSPECTOR_SERVER port the driver gives MiniBrowser), as the
// one inspector client it admits besides automation: Console.messageAdded from every page target,
// each new target paused until its console is on, so load-time messages count too. When that link
// cannot be made, the page-side recorder (installRecorder) is the fallback, after every load.
//
// Profiles: MiniBrowser in automation mode always uses an ephemeral website data manager
// (Tools/MiniBrowser/gtk/main.c: `if (privateMode || automationMode) ..._new_ephemeral()`), and no
// argument or capability gives it a data directory. IndexedDB, caches and service workers last as
// long as the browser (a reload keeps them), never across close() and launch. So the session says
// persistent: false, and profileDir is only a folder made (and removed) for the contract's sake.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { remote, Key } from 'webdriverio';
import { installRecorder, newProfileDir, pollUntil } from './session.mjs';

const driverPath = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';
const miniBrowserPath = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

export async function launch({ profileDir, width = 1280, height = 900, touch = false } = {}) {
  guardExit();
  const own = !profileDir;
  const dir = profileDir || newProfileDir('webkit');
  mkdirSync(dir, { recursive: true });
  if (own) ownDirs.add(dir);
  let procs, browser, inspector;
  try {
    // The screen is the viewport's size, as on a device (screen.width is Xvfb's).
    procs = await startProcesses(width, height);
    browser = await remote({
      hostname: '127.0.0.1', port: procs.port, logLevel: 'silent', connectionRetryCount: 0,
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        // Full screen hides MiniBrowser's toolbar, whose width (447 px) would be the window's least.
        'webkitgtk:browserOptions': { binary: miniBrowserPath, args: ['--automation', '--full-screen'] },
      },
    });
    // WEBKIT_NO_INSPECTOR=1 tries the fallback (or sidesteps a link that a new WebKit broke).
    inspector = process.env.WEBKIT_NO_INSPECTOR ? null : await openInspector(procs.driver.pid).catch((err) => {
      console.error(`webkit: no inspector link (${err.message}): errors() falls back to a page-side recorder, which misses load-time errors`);
      return null;
    });
    await setViewport(browser, width, height);
  } catch (err) {
    await browser?.deleteSession().catch(() => {});
    inspector?.close();
    await procs?.stop();
    removeOwn(dir);
    throw err;
  }
  return session({ browser, inspector, procs, dir });
}

function session({ browser, inspector, procs, dir }) {
  // Without the inspector, errors come from the page-side recorder, installed after every load.
  const afterLoad = async () => {
    if (!inspector) await browser.execute(installRecorder).catch(() => {});
  };
  return {
    engine: 'webkit',
    profileDir: dir,
    persistent: false, // no data survives close() and launch (see the top of this file)
    touch: false, // WebKitGTK has no touch emulation
    async goto(url) { await browser.url(url); await afterLoad(); },
    async reload() { await browser.refresh(); await afterLoad(); },
    async url() { return browser.getUrl(); },
    // execute() sends the function's source, which the driver calls as a function (no eval, so the
    // CSP allows it) and whose promise it awaits.
    async evaluate(fn, ...args) { return browser.execute(fn, ...args); },
    async waitFor(fn, args = [], opts = {}) { return pollUntil(this, fn, args, opts); },
    // The driver's own scroll into view follows the site's `scroll-behavior: smooth` and then finds
    // the element not yet in view ("not interactable"): scroll instantly first, as Playwright does.
    async click(selector) {
      const el = await browser.$(selector);
      await browser.execute((e) => e.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' }), el);
      await el.click();
    },
    async fill(selector, text) {
      const el = await browser.$(selector);
      await el.clearValue();
      await el.addValue(text);
    },
    async press(key) { await browser.keys(keySequence(key)); },
    // A local driver takes the file's path as the keys sent to an <input type=file>.
    async setFile(selector, path) { await (await browser.$(selector)).addValue(path); },
    async screenshot(path) {
      await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
      await browser.saveScreenshot(path);
    },
    async errors() {
      if (inspector) return [...inspector.errors];
      return browser.execute(() => JSON.parse(sessionStorage.getItem('__issmpErrors') || '[]')).catch(() => []);
    },
    async close() {
      await browser.deleteSession().catch(() => {});
      inspector?.close();
      await procs.stop();
      removeOwn(dir);
    },
  };
}

// keySequence turns 'Enter', 'ArrowDown', '1' or 'Shift+Tab' into webdriverio's key codes.
function keySequence(key) {
  const parts = key.length > 1 && key.includes('+') ? key.split('+') : [key];
  return parts.map((k) => Key[k] || (k === ' ' ? Key.Space : k));
}

// setViewport sizes the window so that innerWidth by innerHeight is width by height. Full screen
// without a window manager leaves the window at MiniBrowser's 1024x768 until WebDriver sets its
// rect; with no toolbar shown the rect is the viewport, but check and compensate in case it shows.
async function setViewport(browser, width, height) {
  const inner = () => browser.execute(() => [innerWidth, innerHeight]);
  let [w, h] = [width, height];
  for (let i = 0; i < 3; i++) {
    await browser.setWindowSize(w, h);
    const [iw, ih] = await inner();
    if (iw === width && ih === height) return;
    w += width - iw;
    h += height - ih;
  }
  const [iw, ih] = await inner();
  throw new Error(`webkit: the viewport is ${iw}x${ih}, not ${width}x${height} (MiniBrowser's toolbar is 447 px wide at least)`);
}

// ---- processes: Xvfb and WebKitWebDriver, per session --------------------------------------------

const running = new Set(); // processes not yet stopped
const ownDirs = new Set(); // profile folders launch made and close() has not removed

function removeOwn(dir) {
  if (!ownDirs.delete(dir)) return;
  rmSync(dir, { recursive: true, force: true });
}

// Kill what we started, and remove the folders we made, if this process ends without close(): on
// exit, and on the signals a test runner sends (then die of the signal as we would have). Set up
// on the first launch only.
let exitGuarded = false;
function guardExit() {
  if (exitGuarded) return;
  exitGuarded = true;
  const killAll = () => {
    for (const p of running) p.stop();
    for (const dir of ownDirs) removeOwn(dir);
  };
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => { killAll(); process.kill(process.pid, sig); });
  }
}

async function startProcesses(screenWidth, screenHeight) {
  // Xvfb picks a free display itself (-displayfd), so sessions started at once do not race for one
  // as `xvfb-run -a` can.
  const xvfb = guarded('Xvfb', ['-displayfd', '3', '-screen', '0', `${screenWidth}x${screenHeight}x24`, '-nolisten', 'tcp'],
    { stdio: ['ignore', 'pipe', 'pipe'], signal: 'TERM' });
  const procs = { xvfb, driver: null, port: 0 };
  // stop kills both groups at once (it must work synchronously on exit) and resolves once they
  // are gone. The driver's group holds MiniBrowser and its helpers too. Xvfb gets SIGTERM so that
  // it removes its lock file.
  procs.stop = () => {
    running.delete(procs);
    return Promise.all([killGroup(procs.driver, 'SIGKILL'), killGroup(xvfb, 'SIGTERM')]);
  };
  running.add(procs);
  try {
    const display = await readDisplay(xvfb);
    for (let attempt = 0; ; attempt++) {
      procs.port = await freePort();
      procs.driver = guarded(driverPath, [`--port=${procs.port}`], {
        stdio: ['ignore', 'pipe'], signal: 'KILL',
        env: { ...process.env, DISPLAY: `:${display}`, WAYLAND_DISPLAY: '' },
      });
      procs.driver.stderr.on('data', (d) => { if (process.env.WEBKIT_DEBUG) process.stderr.write(d); });
      if (await driverReady(procs.driver, procs.port)) break;
      await killGroup(procs.driver, 'SIGKILL');
      if (attempt === 2) throw new Error('webkit: WebKitWebDriver did not start');
    }
    return procs;
  } catch (err) {
    await procs.stop();
    throw err;
  }
}

// guarded runs cmd in a process group of its own, under a shell whose watchdog kills the group
// when our end of its stdin closes: so even if this process is SIGKILLed (a test runner giving
// up on a file), no Xvfb or MiniBrowser stays behind. The shell exits when cmd does. stdio lists
// the command's stdout, stderr and further descriptors.
function guarded(cmd, args, { stdio, signal, env = process.env }) {
  const script = `exec 9<&0; "$@" </dev/null 9<&- & c=$!; (read _ <&9; kill -${signal} 0) & wait $c`;
  const child = spawn('/bin/sh', ['-c', script, 'sh', cmd, ...args], { stdio: ['pipe', ...stdio], detached: true, env });
  child.stdin.on('error', () => {});
  return child;
}

// killGroup signals p's process group (which may outlive p: the watchdog) and resolves when p is gone.
function killGroup(p, sig) {
  if (!p) return;
  const gone = p.exitCode !== null || p.signalCode !== null ? null : new Promise((r) => p.once('exit', r));
  try { process.kill(-p.pid, sig); } catch {}
  return gone;
}

function readDisplay(xvfb) {
  return new Promise((resolve, reject) => {
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error('webkit: Xvfb did not start: ' + err)), 10000);
    xvfb.stderr.on('data', (d) => { err += d; });
    xvfb.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) { clearTimeout(timer); resolve(out.trim()); }
    });
    xvfb.on('exit', (code) => { clearTimeout(timer); reject(new Error(`webkit: Xvfb exited ${code}: ${err}`)); });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// driverReady waits for the driver's /status; false if it exits first (its port was taken).
async function driverReady(driver, port) {
  const end = Date.now() + 10000;
  while (Date.now() < end) {
    if (driver.exitCode !== null) return false;
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 25));
  }
  driver.kill('SIGKILL');
  return false;
}

// ---- the remote inspector link -------------------------------------------------------------------
//
// WebKitGTK's inspector server speaks WTF::SocketConnection: a message is a big-endian uint32 body
// size, a flags byte (1: little-endian), the message name with its NUL, then GVariant data. We send
// SetupInspectorClient (ay), Setup (tt) and SendMessageToBackend (tts), and read
// SendMessageToFrontend (tts). Connection 1 is MiniBrowser's own; its target 1 is the window's
// WebPage (target 2 is the automation session, which we leave alone). Inside, the page speaks the
// Web Inspector protocol, with its documents as Target.* sub-targets (one per web process).

async function openInspector(driverPid) {
  const address = inspectorAddress(driverPid);
  const [host, port] = address.split(':');
  const sock = connect(Number(port), host);
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  sock.on('error', () => {});
  const link = new InspectorLink(sock);
  try {
    link.send('SetupInspectorClient', Buffer.from([0]));
    link.send('Setup', Buffer.concat([u64(1), u64(1)]));
    await link.call('Target.setPauseOnStart', { pauseOnStart: true });
    await link.firstTarget;
  } catch (err) {
    sock.destroy();
    throw err;
  }
  return link;
}

// inspectorAddress reads WEBKIT_INSPECTOR_SERVER from the environment the driver gave MiniBrowser,
// found among the descendants of the driver's watchdog shell.
function inspectorAddress(rootPid) {
  const kids = childrenByParent();
  for (let queue = [rootPid]; queue.length;) {
    const pid = queue.shift();
    queue.push(...(kids.get(pid) || []));
    let env;
    try { env = readFileSync(`/proc/${pid}/environ`, 'utf8'); } catch { continue; }
    const line = env.split('\0').find((l) => l.startsWith('WEBKIT_INSPECTOR_SERVER='));
    if (line) return line.slice('WEBKIT_INSPECTOR_SERVER='.length);
  }
  throw new Error('no MiniBrowser with WEBKIT_INSPECTOR_SERVER under the driver');
}

function childrenByParent() {
  const kids = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) || []), Number(name)]);
    } catch {}
  }
  return kids;
}

const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };

class InspectorLink {
  constructor(sock) {
    this.sock = sock;
    this.errors = [];
    this.nextId = 1;
    this.pending = new Map(); // id -> { resolve, reject }
    this.last = new Map(); // target -> its last error message, for repeat counts
    this.buf = Buffer.alloc(0);
    this.firstTarget = new Promise((resolve, reject) => {
      this.sawTarget = resolve;
      setTimeout(() => reject(new Error('the inspector announced no page target')), 5000).unref();
    });
    this.firstTarget.catch(() => {}); // awaited by openInspector unless it failed before
    sock.on('data', (d) => this.read(d));
    sock.on('close', () => { for (const p of this.pending.values()) p.reject(new Error('inspector link closed')); this.pending.clear(); });
  }

  send(name, data) {
    const nameBytes = Buffer.from(name + '\0');
    const head = Buffer.alloc(5);
    head.writeUInt32BE(nameBytes.length + data.length);
    head[4] = 1; // little-endian GVariant data
    this.sock.write(Buffer.concat([head, nameBytes, data]));
  }

  // call sends a command to the page (or, with target, to one of its documents) and awaits the reply.
  call(method, params = {}, target) {
    const id = this.nextId++;
    let msg = { id, method, params };
    const reply = new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`inspector: no reply to ${method}`)), 5000);
      const fail = (err) => { clearTimeout(timer); this.pending.delete(id); reject(err); };
      this.pending.set(id, { resolve: (v) => { clearTimeout(timer); resolve(v); }, reject: fail });
      // Sent to a document, the command is wrapped; an error in the wrapper fails the command.
      if (target) {
        msg = { id: this.nextId++, method: 'Target.sendMessageToTarget', params: { targetId: target, message: JSON.stringify(msg) } };
        this.pending.set(msg.id, { resolve: () => {}, reject: fail });
      }
    });
    this.send('SendMessageToBackend', Buffer.concat([u64(1), u64(1), Buffer.from(JSON.stringify(msg) + '\0')]));
    return reply;
  }

  read(data) {
    this.buf = Buffer.concat([this.buf, data]);
    while (this.buf.length >= 5) {
      const size = this.buf.readUInt32BE(0);
      if (this.buf.length < 5 + size) return;
      const body = this.buf.subarray(5, 5 + size);
      this.buf = this.buf.subarray(5 + size);
      const nul = body.indexOf(0);
      if (body.subarray(0, nul).toString() !== 'SendMessageToFrontend') continue;
      // (tts): connection, target, then the JSON text up to its NUL.
      const text = body.subarray(nul + 1 + 16, body.length - 1).toString();
      try { this.dispatch(JSON.parse(text)); } catch {}
    }
  }

  dispatch(msg, target) {
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
      return;
    }
    const params = msg.params || {};
    switch (msg.method) {
      case 'Target.targetCreated': this.watch(params.targetInfo).catch(() => {}); break;
      case 'Target.dispatchMessageFromTarget': this.dispatch(JSON.parse(params.message), params.targetId); break;
      case 'Console.messageAdded': this.record(params.message, target); break;
      case 'Console.messageRepeatCountUpdated': {
        // WebKit folds a repeated message into a count; the contract lists each one.
        const last = this.last.get(target);
        if (last) this.errors.push({ ...last });
        break;
      }
      case 'Console.messagesCleared': this.last.delete(target); break;
    }
  }

  // watch turns on the console of a new document (whose stored messages then arrive) and lets a
  // paused one load.
  async watch(info) {
    if (info.type !== 'page') return;
    this.sawTarget();
    try {
      await this.call('Console.enable', {}, info.targetId);
    } finally {
      if (info.isPaused) this.call('Target.resume', { targetId: info.targetId }).catch(() => {});
    }
  }

  record(m, target) {
    if (m.level !== 'error') { this.last.delete(target); return; }
    const kind = m.source === 'console-api' ? 'console'
      : m.source === 'javascript' ? 'pageerror'
      : /Content[- ]Security[- ]Policy/i.test(m.text) ? 'csp'
      : 'console';
    const where = /^https?:/.test(m.url || '') ? ` (${m.url}${m.line ? ':' + m.line : ''})` : '';
    const e = { kind, text: m.text.trim() + where };
    this.last.set(target, e);
    this.errors.push(e);
  }

  close() { this.sock.destroy(); }
}
