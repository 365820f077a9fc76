import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { needsBuild } from '../../main/app/build-freshness';

const root = process.cwd();

/** Debian's chromium (installed by .ci/run); Playwright never downloads a browser here. */
export const chromiumPath = process.env.CODETETHER_CHROMIUM ?? '/usr/bin/chromium';

export const screenshotDir = join(root, 'test-results', 'screenshots');

/**
 * The built monitor: out/renderer when it is newer than every source, else a fresh
 * `electron-vite build` into a temp dir (a second or two), so a stale out/ is never tested.
 */
export function builtMonitor(): { dir: string; cleanup(): void } {
  if (!needsBuild(root)) return { dir: join(root, 'out/renderer'), cleanup() {} };
  const outDir = mkdtempSync(join(tmpdir(), 'codetether-monitor-'));
  const bin = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stderr}${result.stdout}`);
  return { dir: join(outDir, 'renderer'), cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

/**
 * Headless Chromium with the flags this machine needs (no sandbox as root, no background
 * traffic). Playwright gives each launch a fresh temp profile (it refuses --user-data-dir).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function ensureScreenshotDir(): string {
  mkdirSync(screenshotDir, { recursive: true });
  return screenshotDir;
}
