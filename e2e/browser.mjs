// Launches Debian's Chromium for tests with the flags this kind of machine needs: no sandbox (we run
// as root), no GPU, and no background networking (the closed network refuses it noisily).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// launchProfile starts Chromium with a fresh (or the given) user-data-dir and returns the persistent
// context plus a close() that also removes a profile it created.
export async function launchProfile({ userDataDir, ...options } = {}) {
  const own = !userDataDir;
  const dir = userDataDir || mkdtempSync(join(tmpdir(), 'issmp-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    ...options,
  });
  return {
    context,
    dir,
    async close() {
      await context.close();
      if (own) rmSync(dir, { recursive: true, force: true });
    },
  };
}
