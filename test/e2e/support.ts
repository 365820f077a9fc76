import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { needsBuild } from '../../main/app/build-freshness';
import type { Host } from '../../main/host/host';
import { startTestHost, type ConfigFlags } from '../support/host';
import { tempDir } from '../support/temp-dir';

const root = process.cwd();

/** Debian's chromium (installed by .ci/run); Playwright never downloads a browser here. */
export const chromiumPath = process.env.CODETETHER_CHROMIUM ?? '/usr/bin/chromium';

export const screenshotDir = join(root, 'test-results', 'screenshots');

/**
 * The built monitor: out/renderer when it is newer than every source, else a fresh
 * `electron-vite build` into a temp dir (a second or two), so a stale out/ is never tested.
 */
export function builtMonitor(): { dir: string } {
  if (!needsBuild(root)) return { dir: join(root, 'out/renderer') };
  const outDir = tempDir('codetether-monitor-');
  const bin = join(root, 'node_modules/electron-vite/bin/electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build', '--outDir', outDir, '--logLevel', 'error'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`electron-vite build failed:\n${result.stderr}${result.stdout}`);
  return { dir: join(outDir, 'renderer') };
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

export interface MonitorHost {
  host: Host;
  /** The host's origin, where the monitor is served. */
  base: string;
  browser: Browser;
  dataDir: string;
}

/**
 * A real host on a temp data dir (`config` added to the test defaults) serving the built
 * monitor, and headless Chromium: started before the file's tests, stopped and removed after.
 */
export function useMonitorHost(prefix: string, config: ConfigFlags = {}): MonitorHost {
  const env = {} as MonitorHost;
  beforeAll(async () => {
    const started = await startTestHost({ dataDir: tempDir(prefix), config: { shutdownGraceMs: 200, ...config }, monitorDir: builtMonitor().dir });
    Object.assign(env, { host: started.host, base: started.origin, dataDir: started.dataDir });
    env.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.host?.stop();
  });
  return env;
}
